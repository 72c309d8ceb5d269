/**
 * The renderer's stores and actions against real services: main's ShotlineServices in this
 * process (real SQLite project files), reached through the same dispatcher and JSON round
 * trip as the in-process bridge, wrapped as the renderer's HostTransport. A gate can hold
 * answers back, so tests can act "before the response arrives" the way a user does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallOutcome } from '../../app/api/client.js';
import type { MethodName } from '../../app/api/contract.js';
import { createDispatcher } from '../../main/bridge/dispatch.js';
import { ShotlineServices } from '../../main/services/shotline.js';
import { initClient } from '../../renderer/src/client.js';
import type { HostTransport } from '../../renderer/src/transport/types.js';

export interface Harness {
  services: ShotlineServices;
  dir: string;
  /**
   * Hold answers of `method` (all methods when omitted) until the returned release is called;
   * with `once`, only the next call of it is held (later ones overtake it).
   */
  hold(method?: MethodName, opts?: { once?: boolean }): () => void;
  /** Methods called so far, in order. */
  calls: MethodName[];
  close(): Promise<void>;
}

/** jsdom has <dialog> but not its modal methods (Modal.tsx uses them): open/close flip `open`. */
export function shimDialogMethods(): void {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
}

export async function startHarness(): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-renderer-'));
  const services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(dir, 'home') });
  const dispatch = createDispatcher(services.handlers);
  const gates: { method: MethodName | undefined; open: Promise<void>; once: boolean; used: boolean }[] = [];
  const calls: MethodName[] = [];
  const transport: HostTransport = {
    kind: 'studio',
    async call(method, input): Promise<CallOutcome> {
      calls.push(method);
      const mine = gates.filter((x) => (x.method === undefined || x.method === method) && !(x.once && x.used));
      for (const g of mine) g.used = true;
      const out = JSON.parse(JSON.stringify(await dispatch(method, JSON.parse(JSON.stringify(input ?? {})))));
      for (const g of mine) await g.open;
      return out;
    },
    subscribe: (l) => services.subscribe(l),
    mediaUrl: (rel) => `/media/${rel}`,
    prepareImport: async () => [],
    onStatus: () => () => {},
  };
  initClient(transport);
  return {
    services,
    dir,
    calls,
    hold(method, opts) {
      let release!: () => void;
      const gate = { method, open: new Promise<void>((r) => (release = r)), once: !!opts?.once, used: false };
      gates.push(gate);
      return () => {
        gates.splice(gates.indexOf(gate), 1);
        release();
      };
    },
    async close() {
      await services.shutdown();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
