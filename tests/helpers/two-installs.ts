/**
 * Two Shotline installations side by side (Jo's and Sam's), each with its own user-data folder
 * under `dir` and its user name set: for cameo bundles passed from one owner to another.
 */
import path from 'node:path';
import type { ShotlineClient } from '../../app/api/client.js';
import { inProcessClient } from '../../main/bridge/in-process.js';
import { ShotlineServices } from '../../main/services/shotline.js';

export interface TwoInstalls {
  jo: ShotlineServices;
  sam: ShotlineServices;
  a: ShotlineClient;
  b: ShotlineClient;
  shutdown(): Promise<void>;
}

export async function startTwoInstalls(dir: string): Promise<TwoInstalls> {
  process.env.SHOTLINE_NO_KEYCHAIN = '1';
  const jo = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(dir, 'jo') });
  const sam = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(dir, 'sam') });
  const a = inProcessClient(jo);
  const b = inProcessClient(sam);
  await a.call('cameos.setUser', { name: 'Jo' });
  await b.call('cameos.setUser', { name: 'Sam' });
  return { jo, sam, a, b, shutdown: async () => void (await Promise.all([jo.shutdown(), sam.shutdown()])) };
}
