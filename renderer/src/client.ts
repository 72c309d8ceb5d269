/** The one API client of this renderer, over whichever host transport started it. */
import { createClient, type ShotlineClient } from '@app/api/client';
import type { HostTransport } from './transport';

let host: HostTransport | null = null;
let client: ShotlineClient | null = null;

export function initClient(transport: HostTransport): ShotlineClient {
  host = transport;
  client = createClient(transport);
  return client;
}

export function api(): ShotlineClient {
  if (!client) throw new Error('The API client is not initialised.');
  return client;
}

export function hostTransport(): HostTransport {
  if (!host) throw new Error('The API client is not initialised.');
  return host;
}

/** URL for a project-relative media path (media/<sha>.mp4). */
export function mediaUrl(rel: string): string {
  return api().mediaUrl(rel);
}
