/** Picks the host transport at startup: Electron when the preload is present, studio otherwise. */
import { electronTransport } from './electron';
import { studioTransport } from './studio';
import type { HostTransport } from './types';

export type { HostTransport, ImportFileRef, ConnectionStatus } from './types';

export function pickTransport(): HostTransport {
  if (typeof window !== 'undefined' && window.shotline) return electronTransport(window.shotline);
  return studioTransport();
}
