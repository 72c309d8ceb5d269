/** `clip.setStabilize`: turn the effect on or off, change its settings, or remove it. Undoable like every edit. */
import { z } from 'zod';
import { PatchBuilder } from './patch.js';
import { defineCommand } from './define.js';
import { id } from './schemas.js';
import { invalidEdit } from '../errors.js';
import { isStabilizable } from '../stabilize/keys.js';
import { STABILIZE_DEFAULTS, STABILIZE_LIMITS, STABILIZE_ZOOM_MODES, type StabilizeSettings } from '../model/stabilize.js';

const L = STABILIZE_LIMITS;

/** A full settings value, as stored on a clip. */
export const stabilizeSettingsSchema = z
  .object({
    enabled: z.boolean(),
    smoothing: z.number().int().min(L.smoothing.min).max(L.smoothing.max),
    zoomMode: z.enum(STABILIZE_ZOOM_MODES as [StabilizeSettings['zoomMode'], ...StabilizeSettings['zoomMode'][]]),
    zoomPercent: z.number().min(L.zoomPercent.min).max(L.zoomPercent.max).optional(),
    shakiness: z.number().int().min(L.shakiness.min).max(L.shakiness.max).optional(),
    accuracy: z.number().int().min(L.accuracy.min).max(L.accuracy.max).optional(),
  })
  .strict();

/** What an edit may change: any subset of the settings. */
export const stabilizePatchSchema = stabilizeSettingsSchema.partial().strict();

export const clipSetStabilize = defineCommand({
  label: 'Change stabilization',
  /** `stabilize: null` removes the effect; a partial object is merged over the clip's (or the defaults). */
  args: z.object({ clipId: id, stabilize: stabilizePatchSchema.nullable() }),
  run(state, args) {
    const clip = state.clips[args.clipId];
    if (!clip) throw invalidEdit(`Clip ${args.clipId} does not exist.`);
    const b = new PatchBuilder();
    if (args.stabilize === null) {
      if (!clip.effects.stabilize) return b.patch;
      const { stabilize: _removed, ...effects } = clip.effects;
      return b.set('clips', { ...clip, effects }).patch;
    }
    if (!isStabilizable(state.assets[clip.assetId])) throw invalidEdit('Only video clips can be stabilized.', 'Select a clip with moving pictures.');
    const base: StabilizeSettings = clip.effects.stabilize ?? { enabled: STABILIZE_DEFAULTS.enabled, smoothing: STABILIZE_DEFAULTS.smoothing, zoomMode: STABILIZE_DEFAULTS.zoomMode };
    const merged: StabilizeSettings = { ...base };
    for (const [k, v] of Object.entries(args.stabilize)) if (v !== undefined) (merged as unknown as Record<string, unknown>)[k] = v;
    if (clip.effects.stabilize && sameSettings(clip.effects.stabilize, merged)) return b.patch;
    return b.set('clips', { ...clip, effects: { ...clip.effects, stabilize: merged } }).patch;
  },
});

function sameSettings(a: StabilizeSettings, b: StabilizeSettings): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof StabilizeSettings>;
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}
