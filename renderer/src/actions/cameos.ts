/** The cameo library (docs/cameos.md): list, create from files or a capture, revoke, posters. */
import type { MethodInput, MethodResult } from '@app/api/contract';
import { api, hostTransport } from '../client';
import { useCameos } from '../state/cameos';

export async function loadCameos(): Promise<void> {
  useCameos.getState().setList(await api().call('cameos.list', {}));
}

/** The user's own name in the cameo library (who "Only me" means). */
export async function loadUserName(): Promise<void> {
  useCameos.getState().setUserName((await api().call('cameos.user', {})).name);
}

/** Set the user's name (validated again by main: app/cameos/user-name.ts). */
export async function saveUserName(name: string): Promise<void> {
  useCameos.getState().setUserName((await api().call('cameos.setUser', { name: name.trim() })).name);
  await loadCameos(); // who may use what depends on the name
}

export const cameoDetail = (id: string): Promise<MethodResult<'cameos.get'>> => api().call('cameos.get', { id });

export async function revokeCameo(id: string, reason: string): Promise<MethodResult<'cameos.revoke'>> {
  const r = await api().call('cameos.revoke', { id, ...(reason.trim() ? { reason: reason.trim() } : {}) });
  useCameos.getState().setPoster(id, null);
  await loadCameos();
  return r;
}

export async function cameoMedia(id: string, role: 'still' | 'poster' | 'voice' | 'source', index = 0): Promise<string | null> {
  try {
    return (await api().call('cameos.media', { id, role, index })).dataUrl;
  } catch {
    return null;
  }
}

/**
 * A cameo's media as bytes and a blob: URL (the page's CSP lets audio and fetch read blob:, not
 * data:). The caller revokes the URL when done.
 */
export async function cameoBlob(id: string, role: 'voice' | 'still' | 'poster', index = 0): Promise<{ url: string; bytes: Uint8Array } | null> {
  try {
    const { mime, dataUrl } = await api().call('cameos.media', { id, role, index });
    const bin = atob(dataUrl.slice(dataUrl.indexOf(',') + 1));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return { url: URL.createObjectURL(new Blob([bytes], { type: mime })), bytes };
  } catch {
    return null;
  }
}

/** A poster, fetched once per cameo (null when it has none or was revoked). */
export async function ensurePoster(id: string): Promise<void> {
  const s = useCameos.getState();
  if (id in s.posters) return;
  s.setPoster(id, null);
  s.setPoster(id, await cameoMedia(id, 'poster'));
}

type CreateInput = MethodInput<'cameos.create'>;

/** Create a cameo: the files are uploaded (studio) or passed by path (Electron) first. */
export async function createCameo(input: Omit<CreateInput, 'sources'>, files: { video?: File; stills?: File[]; audio?: File; stillTimes?: number[] }): Promise<MethodResult<'cameos.create'>> {
  const all = [files.video, ...(files.stills ?? []), files.audio].filter((f): f is File => !!f);
  const refs = await hostTransport().prepareImport(all);
  let i = 0;
  const sources: CreateInput['sources'] = {};
  if (files.video) sources.video = refs[i++]!;
  if (files.stills?.length) sources.stills = files.stills.map(() => refs[i++]!);
  if (files.audio) sources.audio = refs[i++]!;
  if (files.stillTimes?.length) sources.stillTimes = files.stillTimes;
  const made = await api().call('cameos.create', { ...input, sources });
  await loadCameos();
  useCameos.getState().select(made.id);
  return made;
}
