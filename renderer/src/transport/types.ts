/**
 * What the renderer needs from its host, beyond the typed API: how files get into the
 * project (uploaded in studio mode, by path in Electron) and whether the event stream is
 * connected. The rest of the renderer never knows which host it runs in.
 */
import type { CallOutcome, Transport } from '@app/api/client';
import type { ApiEvent, MethodName } from '@app/api/contract';
import type { z } from 'zod';
import type { importFile } from '@app/api/contract';

export type ImportFileRef = z.input<typeof importFile>;

export type ConnectionStatus = 'connecting' | 'online' | 'offline';

export interface HostTransport extends Transport {
  readonly kind: 'studio' | 'electron';
  /** Turn picked or dropped files into references `assets.import` accepts. */
  prepareImport(files: File[], onProgress?: (fraction: number, name: string) => void): Promise<ImportFileRef[]>;
  /** Event-stream connectivity; Electron is always online. */
  onStatus(listener: (s: ConnectionStatus) => void): () => void;
  /** A native folder dialog where the host has one (Electron); absent in the studio. */
  pickDirectory?: () => Promise<string | null>;
}

/** What the Electron preload exposes on window (contextBridge). */
export interface ShotlinePreload {
  call(method: MethodName, input: unknown): Promise<CallOutcome>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
  mediaUrl(relPath: string): string;
  /** webUtils.getPathForFile, when the preload provides it. */
  pathForFile?(file: File): string;
  /** Native open dialog: chosen paths, empty when canceled. */
  pick?(kind: 'files' | 'directory'): Promise<string[]>;
  platform: 'electron';
}

declare global {
  interface Window {
    shotline?: ShotlinePreload;
  }
}
