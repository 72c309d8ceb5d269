/**
 * Color actions: grade edits (one command each), copy/paste, presets, .cube import, and
 * loading imported LUTs for the preview (fetched from the project's media, parsed by the
 * same app/color parser the export uses).
 */
import { parseCube } from '@app/color/cube';
import { NEUTRAL_GRADE, type ColorGrade, type LutRef } from '@app/model/color';
import { api, hostTransport, mediaUrl } from '../client';
import { useColor } from '../state/color';
import { useProject } from '../state/project';
import { edit } from './edit';
import { notify, reportError } from './errors';

/** Grade edits go out one at a time, in order: each carries a whole grade, so order matters. */
let chain: Promise<unknown> = Promise.resolve();
function serially<T>(fn: () => Promise<T>): Promise<T> {
  const next = chain.then(fn, fn);
  chain = next.catch(() => undefined);
  return next;
}

/** The grade a clip has right now, counting an edit still on its way (the draft). */
export function currentGrade(clipId: string): ColorGrade | null {
  const d = useColor.getState().draft;
  if (d?.clipId === clipId) return d.grade;
  return useProject.getState().state?.clips[clipId]?.effects.color ?? null;
}

/**
 * Commit a clip's grade: shown at once (as the draft), then one undoable edit; the draft is
 * dropped when the edit is in (or refused), unless a newer change replaced it meanwhile.
 */
export function setGrade(clipId: string, grade: ColorGrade | null): Promise<void> {
  const shown = grade ?? NEUTRAL_GRADE;
  useColor.getState().setDraft({ clipId, grade: shown });
  return serially(async () => {
    await edit({ command: 'clip.setGrade', args: { clipId, grade } });
    const d = useColor.getState().draft;
    if (d?.clipId === clipId && d.grade === shown) useColor.getState().setDraft(null);
  });
}

export function copyGrade(grade: ColorGrade | null): void {
  useColor.getState().setClipboard(grade);
  notify(grade ? 'Grade copied.' : 'Copied an ungraded clip: pasting removes grades.');
}

/** Paste (or apply a preset) onto clips: one undoable edit. */
export async function pasteGrade(clipIds: string[], grade: ColorGrade | null): Promise<boolean> {
  if (clipIds.length === 0) return false;
  return serially(async () => (await edit({ command: 'clip.pasteGrade', args: { clipIds, grade } })) !== null);
}

export async function savePreset(name: string, grade: ColorGrade): Promise<boolean> {
  return (await edit({ command: 'gradePreset.save', args: { name, grade } })) !== null;
}

export async function deletePreset(presetId: string): Promise<void> {
  await edit({ command: 'gradePreset.delete', args: { presetId } });
}

/** Upload (studio) or reference (Electron) a .cube file and import it; null when refused. */
export async function importLutFile(file: File): Promise<LutRef | null> {
  try {
    const [ref] = await hostTransport().prepareImport([file]);
    return await api().call('color.importLut', { file: ref! });
  } catch (e) {
    reportError(e);
    return null;
  }
}

const pending = new Map<string, Promise<void>>();

/** Fetch and parse an imported LUT once; the result lands in the color store. */
export function loadLut(ref: LutRef): Promise<void> {
  const have = useColor.getState().luts[ref.sha256];
  if (have && have.state !== 'failed') return pending.get(ref.sha256) ?? Promise.resolve();
  const p = (async () => {
    useColor.getState().setLut(ref.sha256, { state: 'loading' });
    try {
      const res = await fetch(mediaUrl(ref.path), { credentials: 'same-origin' });
      if (!res.ok) throw new Error(`the file could not be read (${res.status})`);
      useColor.getState().setLut(ref.sha256, { state: 'ready', lut: parseCube(await res.text()) });
    } catch (e) {
      useColor.getState().setLut(ref.sha256, { state: 'failed', message: `LUT "${ref.name}": ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      pending.delete(ref.sha256);
    }
  })();
  pending.set(ref.sha256, p);
  return p;
}
