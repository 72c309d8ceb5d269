/**
 * "Voice dialogue" inputs (the API's `dialogue.voice`) and the pure choices behind them: which
 * lines, and which voice each speaker gets when the user picked none (distinct voices in order
 * of first appearance, so ANNA and BEN never sound alike by accident).
 */
import { z } from 'zod';
import type { DialogueLine, ProjectState } from '../model/types.js';
import { dialogueClipsOf } from '../dialogue/placement.js';

export const speakerVoiceSchema = z
  .object({
    /** A voice id of the backend; null/absent: assigned (see defaultVoices). */
    voice: z.string().trim().min(1).max(200).nullable().optional(),
    speed: z.number().min(0.25).max(4).optional(),
    /** Speak in a cameo's voice: only on a backend that declares voice cloning, and only where the cameo's consent covers voice. */
    cameoId: z.string().min(1).max(64).optional(),
  })
  .strict();
export type SpeakerVoice = z.output<typeof speakerVoiceSchema>;

export const dialogueVoiceInput = z
  .object({
    shotId: z.string().min(1).max(64),
    /** Line indexes to voice (revoice one line: [i]); absent = every line with text. */
    lines: z.array(z.number().int().min(0).max(49)).min(1).max(50).optional(),
    /** 'espeak-ng' (default) or 'openai-speech:<endpoint id>'. */
    backendId: z.string().min(1).max(120).optional(),
    /** By speaker name as written in the dialogue. */
    voices: z.record(z.string().max(200), speakerVoiceSchema).optional(),
  })
  .strict();
export type DialogueVoiceInput = z.output<typeof dialogueVoiceInput>;

/** What the job carries (resolved at queue time, so a restart voices the same thing). */
export interface VoiceJobPayload {
  shotId: string;
  lines: number[];
  backendId: string;
  voices: Record<string, { voice: string | null; speed: number; cameoId?: string }>;
}

/** The speaker's name as a key: trimmed, "Voice" when blank (as composePrompt writes it). */
export function speakerKey(d: DialogueLine): string {
  return d.speaker.trim() || 'Voice';
}

/** Voices for speakers without one: `rotation` in order of first appearance (wrapping round). */
export function defaultVoices(lines: DialogueLine[], rotation: string[], given: Record<string, SpeakerVoice> = {}): Record<string, { voice: string | null; speed: number; cameoId?: string }> {
  const out: Record<string, { voice: string | null; speed: number; cameoId?: string }> = {};
  let k = 0;
  for (const d of lines) {
    const name = speakerKey(d);
    if (out[name]) continue;
    const g = given[name];
    out[name] = { voice: g?.voice ?? (rotation.length ? rotation[k++ % rotation.length]! : null), speed: g?.speed ?? 1, ...(g?.cameoId ? { cameoId: g.cameoId } : {}) };
  }
  return out;
}

/**
 * The voices a shot's speakers were last voiced with on `backendId` (the newest voiced clip of
 * each speaker, from its provenance), so revoicing one line sounds like the others without the
 * user picking again.
 */
export function previousVoices(state: ProjectState, shotId: string, backendId: string): Record<string, SpeakerVoice> {
  const out: Record<string, SpeakerVoice & { at: string }> = {};
  for (const clips of dialogueClipsOf(state, shotId).values()) {
    for (const c of clips) {
      const p = state.assets[c.assetId]?.provenance;
      if (p?.source !== 'generated' || p.backend !== backendId) continue;
      const { speaker, voice, speed } = p.parameters as { speaker?: unknown; voice?: unknown; speed?: unknown };
      if (typeof speaker !== 'string' || (out[speaker] && out[speaker].at >= p.createdAt)) continue;
      out[speaker] = { at: p.createdAt, voice: typeof voice === 'string' ? voice : null, ...(typeof speed === 'number' ? { speed } : {}) };
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, { at: _at, ...v }]) => [k, v]));
}

/** Asset name of a voiced line: the label the timeline shows ("ANNA: Who is there?"). */
export function voicedLineName(d: DialogueLine): string {
  const text = d.line.trim().replace(/\s+/g, ' ');
  const short = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return `${speakerKey(d)}: ${short}`;
}
