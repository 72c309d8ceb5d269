/** The connection to the host: which transport, whether events flow, what the app reports. */
import { create } from 'zustand';
import type { AppInfo } from '@app/api/contract';
import type { ConnectionStatus } from '../transport';

export interface UploadProgress {
  name: string;
  fraction: number;
  count: number;
}

export interface SessionStore {
  host: 'studio' | 'electron';
  connection: ConnectionStatus;
  info: AppInfo | null;
  /** True once the first project.snapshot attempt finished, so the UI knows what to show. */
  ready: boolean;
  /** Files being uploaded or imported right now. */
  importing: UploadProgress | null;
  set(p: Partial<Omit<SessionStore, 'set'>>): void;
}

export const useSession = create<SessionStore>()((set) => ({
  host: 'studio',
  connection: 'connecting',
  info: null,
  ready: false,
  importing: null,
  set: (p) => set(p),
}));
