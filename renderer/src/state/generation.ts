/**
 * Generation UI state: the backends main offers (as last listed), the generation settings
 * the prompt panel keeps between shots (backend, takes, steps, guidance), which takes are
 * ticked for side-by-side comparison, and finished-badly jobs the user dismissed from the
 * take strip. Project data (seed, reference, continuity) stays on the shot, in the mirror.
 */
import { create } from 'zustand';
import type { SerializedError } from '@app/errors';
import type { BackendInfo } from '@app/generation/types';

export interface GenerationSettings {
  /** `${backend.id}:${model.name}`, or null for main's default (the first ready backend). */
  backendKey: string | null;
  takes: number;
  /** null: the backend's default. */
  steps: number | null;
  guidance: number | null;
}

export interface GenerationStore {
  backends: BackendInfo[] | null;
  backendsLoading: boolean;
  backendsError: SerializedError | null;
  settings: GenerationSettings;
  /** Takes ticked for comparison, per shot (at most two; the oldest tick drops off). */
  compare: Record<string, string[]>;
  /** Failed or canceled generate jobs hidden from the take strip. */
  dismissed: Record<string, true>;

  setBackends(p: { backends?: BackendInfo[] | null; loading?: boolean; error?: SerializedError | null }): void;
  setSettings(p: Partial<GenerationSettings>): void;
  toggleCompare(shotId: string, takeId: string): void;
  clearCompare(shotId: string): void;
  dismiss(jobId: string): void;
  reset(): void;
}

export const backendKey = (b: Pick<BackendInfo, 'id' | 'model'>) => `${b.id}:${b.model.name}`;

const initialSettings: GenerationSettings = { backendKey: null, takes: 2, steps: null, guidance: null };

export const useGeneration = create<GenerationStore>()((set) => ({
  backends: null,
  backendsLoading: false,
  backendsError: null,
  settings: initialSettings,
  compare: {},
  dismissed: {},
  setBackends: (p) =>
    set((s) => ({
      backends: p.backends === undefined ? s.backends : p.backends,
      backendsLoading: p.loading ?? s.backendsLoading,
      backendsError: p.error === undefined ? s.backendsError : p.error,
    })),
  setSettings: (p) => set((s) => ({ settings: { ...s.settings, ...p } })),
  toggleCompare: (shotId, takeId) =>
    set((s) => {
      const cur = s.compare[shotId] ?? [];
      const next = cur.includes(takeId) ? cur.filter((id) => id !== takeId) : [...cur, takeId].slice(-2);
      return { compare: { ...s.compare, [shotId]: next } };
    }),
  clearCompare: (shotId) => set((s) => ({ compare: { ...s.compare, [shotId]: [] } })),
  dismiss: (jobId) => set((s) => ({ dismissed: { ...s.dismissed, [jobId]: true } })),
  reset: () => set({ settings: initialSettings, compare: {}, dismissed: {} }),
}));

/** The backend the settings point at (else the first ready one, else the first listed). */
export function selectedBackend(backends: BackendInfo[] | null, key: string | null): BackendInfo | null {
  if (!backends || backends.length === 0) return null;
  return (key ? backends.find((b) => backendKey(b) === key) : undefined) ?? backends.find((b) => b.status === 'ready') ?? backends[0]!;
}
