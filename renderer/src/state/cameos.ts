/**
 * The cameo library as the renderer sees it: the list (with status and use count), which one is
 * selected, and posters fetched once per cameo (data URLs). Loaded on demand from main.
 */
import { create } from 'zustand';
import type { CameoSummary } from '@app/cameos/types';

export interface CameosStore {
  list: CameoSummary[];
  loaded: boolean;
  selectedId: string | null;
  posters: Record<string, string | null>;
  /** The user's own name (who "Only me" means); null until loaded. */
  userName: string | null;
  setUserName(name: string): void;
  setList(list: CameoSummary[]): void;
  select(id: string | null): void;
  setPoster(id: string, url: string | null): void;
}

export const useCameos = create<CameosStore>((set) => ({
  list: [],
  loaded: false,
  selectedId: null,
  posters: {},
  userName: null,
  setUserName: (userName) => set({ userName }),
  setList: (list) => set({ list, loaded: true }),
  select: (selectedId) => set({ selectedId }),
  setPoster: (id, url) => set((s) => ({ posters: { ...s.posters, [id]: url } })),
}));
