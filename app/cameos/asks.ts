/**
 * Which part of each cameo a shot asks for, from where the shot names it. A cameo named in a
 * picture field (subject, action, setting, camera, lighting, style) is asked to appear: its
 * likeness. One named only where sound is (a dialogue speaker or line, the Audio field), or
 * picked with the picker, is asked for what its consent allows, likeness first: so a cameo whose
 * consent covers only the voice can still speak a line or reach a workflow's voice input, and is
 * refused (by its consent check) only where the shot asks it to appear.
 */
import type { StructuredPrompt } from '../model/types.js';
import { covers } from './consent.js';
import { resolveMentions, type HandleResolution } from './handles.js';
import type { Cameo, CameoPart } from './types.js';

export const PICTURE_FIELDS = ['subject', 'action', 'setting', 'camera', 'lighting', 'style'] as const;

export function pictureTexts(p: Partial<StructuredPrompt>): string[] {
  return PICTURE_FIELDS.map((f) => p[f]).filter((x): x is string => !!x);
}

export function soundTexts(p: Partial<StructuredPrompt>): string[] {
  return [p.audio, ...(p.dialogue ?? []).flatMap((d) => [d.speaker, d.line])].filter((x): x is string => !!x);
}

export interface CameoAsk {
  cameo: Cameo;
  /** The part this shot asks for (and that its consent is checked for). */
  part: CameoPart;
  /** Named in a picture field: it must appear (its likeness is asked, whatever the consent covers). */
  inPicture: boolean;
  /** Named in a dialogue line, speaker or the Audio field: its voice can come from "Voice dialogue". */
  inSound: boolean;
}

/** What a cameo can give without being asked to appear: its likeness where consent and media allow, else its voice. */
export function defaultPart(c: Pick<Cameo, 'parts' | 'consent'>): CameoPart {
  return c.parts.likeness && covers(c.consent.covers, 'likeness') ? 'likeness' : c.parts.voice && covers(c.consent.covers, 'voice') ? 'voice' : 'likeness';
}

/**
 * The shot's cameos (picked ids first, then mentions in order) with the part each is asked for;
 * unknown or ambiguous @handles come back as problems (nothing is dropped silently).
 */
export function shotCameoAsks(prompts: readonly Partial<StructuredPrompt>[], pickedIds: readonly string[], library: readonly Cameo[]): { asks: CameoAsk[]; problems: Extract<HandleResolution, { ok: false }>[] } {
  const picture = resolveMentions(prompts.flatMap(pictureTexts), library);
  const sound = resolveMentions(prompts.flatMap(soundTexts), library);
  const asks: CameoAsk[] = [];
  const add = (c: Cameo | undefined) => {
    if (!c || asks.some((a) => a.cameo.id === c.id)) return;
    const inPicture = picture.cameos.some((x) => x.id === c.id);
    asks.push({ cameo: c, inPicture, inSound: sound.cameos.some((x) => x.id === c.id), part: inPicture ? 'likeness' : defaultPart(c) });
  };
  for (const id of pickedIds) add(library.find((c) => c.id === id));
  for (const c of [...picture.cameos, ...sound.cameos]) add(c);
  const problems = [...picture.problems, ...sound.problems.filter((p) => !picture.problems.some((q) => q.handle === p.handle))];
  return { asks, problems };
}
