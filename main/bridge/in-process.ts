/** The in-process transport: the same dispatcher and events, no wire. Used by tests and the CLI. */
import type { Transport } from '../../app/api/client.js';
import { createClient, type ShotlineClient } from '../../app/api/client.js';
import type { ShotlineServices } from '../services/shotline.js';
import { createDispatcher } from './dispatch.js';

export function inProcessClient(services: ShotlineServices): ShotlineClient {
  const dispatch = createDispatcher(services.handlers);
  const transport: Transport = {
    // Round-trip through JSON so in-process callers see exactly what a remote one would.
    call: async (method, input) => JSON.parse(JSON.stringify(await dispatch(method, JSON.parse(JSON.stringify(input ?? {}))))),
    subscribe: (l) => services.subscribe(l),
    mediaUrl: (rel) => `file://${services.openProjectDir}/${rel}`,
  };
  return createClient(transport);
}
