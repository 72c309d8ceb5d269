/**
 * The "Voice dialogue" job: each requested line of a shot through a speech backend, imported as
 * a content-addressed audio asset (provenance: backend, voice, text, and which line of which
 * shot it voices), then placed with one `dialogue.place` edit, so the whole voicing is one
 * undo. Progress per line; cancel stops the line being spoken and places nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ShotlineError } from '../../app/errors.js';
import type { Shot } from '../../app/model/types.js';
import { validateSpeechRequest, type SpeechBackend } from '../../app/speech/types.js';
import { dialogueVoiceInput, defaultVoices, previousVoices, speakerKey, voicedLineName, type DialogueVoiceInput, type VoiceJobPayload } from '../../app/speech/voicing.js';
import { makeScratchDir } from '../backends/media-io.js';
import type { JobHandler } from '../jobs/queue.js';
import type { FfmpegEngine } from '../media/engine.js';
import { importOne } from '../session/import-media.js';
import type { ProjectSession } from '../session/project-session.js';
import type { SpeechRegistry } from './registry.js';
import { withWavComment } from './wav.js';

/**
 * The seam where a speaker is bound to a cameo's voice: the cameo library's consent check
 * (`assertCameoUse(cameoId, 'voice', …)` on main) answers with the voice sample, or refuses.
 */
export type CameoVoiceGate = (cameoId: string, ctx: { session: ProjectSession; shot: Shot; endpoint: string }) => Promise<{ path: string }>;

/** Voices the built-in backend rotates through for speakers without a chosen one. */
const ESPEAK_ROTATION = ['en-us', 'en-us+f3', 'en-us+m3', 'en+f2', 'en+m1', 'en-us+f4', 'en-us+m7'];
const OPENAI_ROTATION = ['alloy', 'nova', 'onyx', 'shimmer', 'echo', 'fable', 'sage'];

function shotOf(session: ProjectSession, shotId: string): Shot {
  const shot = session.state.shots[shotId];
  if (!shot) throw new ShotlineError('not_found', 'That shot is no longer in the storyboard.');
  return shot;
}

/** Checks the request and resolves what the job will do (queue time: a bad request queues nothing). */
export async function queueVoicing(session: ProjectSession, speech: SpeechRegistry, raw: DialogueVoiceInput, gate: CameoVoiceGate | null) {
  const input = dialogueVoiceInput.parse(raw);
  const shot = shotOf(session, input.shotId);
  const all = shot.prompt.dialogue;
  const lines = input.lines ?? all.flatMap((d, i) => (d.line.trim() ? [i] : []));
  if (!lines.length) throw new ShotlineError('invalid_input', `"${shot.title}" has no dialogue to voice.`, 'Write a line (speaker and text) in the shot’s Dialogue first.');
  for (const i of lines) {
    if (i >= all.length) throw new ShotlineError('invalid_input', `"${shot.title}" has no dialogue line ${i + 1}.`);
    if (!all[i]!.line.trim()) throw new ShotlineError('invalid_input', `Line ${i + 1} of "${shot.title}" has no text.`, 'Write the line, or remove it.');
  }
  const backend = await speech.resolve(input.backendId);
  const rotation = backend.id === 'espeak-ng' ? ESPEAK_ROTATION : OPENAI_ROTATION;
  // Chosen now > what each speaker was voiced with before on this backend > the rotation.
  const voices = defaultVoices(all, rotation, { ...previousVoices(session.state, shot.id, backend.id), ...input.voices });
  for (const i of lines) {
    const v = voices[speakerKey(all[i]!)]!;
    // What the backend would refuse (a voice it lacks, a speed out of range, a line too long) is refused now.
    validateSpeechRequest(backend.capabilities, { text: all[i]!.line, voice: v.voice, speed: v.speed }, backend.label);
    if (v.cameoId) await checkCameo(backend, v.cameoId, { session, shot, gate });
  }
  const payload: VoiceJobPayload = { shotId: shot.id, lines: [...new Set(lines)].sort((a, b) => a - b), backendId: backend.id, voices };
  const what = payload.lines.length === 1 ? `line ${payload.lines[0]! + 1}` : `${payload.lines.length} lines`;
  return session.queue.enqueue('voice', `Voice ${shot.title}: ${what} (${backend.label})`, payload, backend.id === 'espeak-ng' ? 'cpu' : `network:${backend.id.slice(backend.id.indexOf(':') + 1)}`);
}

/** A speaker bound to a cameo: the backend must clone voices and the cameo's consent must cover voice. */
async function checkCameo(backend: SpeechBackend, cameoId: string, o: { session: ProjectSession; shot: Shot; gate: CameoVoiceGate | null }): Promise<{ path: string }> {
  if (!backend.capabilities.voiceCloning)
    throw new ShotlineError('unsupported', `${backend.label} cannot speak in a cameo's voice (it does not declare voice cloning).`, 'Pick one of its voices for this speaker, or use a speech endpoint that clones voices.');
  if (!o.gate) throw new ShotlineError('unsupported', "Speaking in a cameo's voice needs the cameo library's consent check, which this build does not have.", 'Pick a voice for this speaker instead.');
  return o.gate(cameoId, { session: o.session, shot: o.shot, endpoint: backend.label });
}

export function createVoiceHandler(getSession: () => ProjectSession, engine: FfmpegEngine, speech: SpeechRegistry, gate: () => CameoVoiceGate | null): JobHandler {
  return {
    resource: 'cpu',
    async run({ job, progress, signal }) {
      const session = getSession();
      const p = job.payload as VoiceJobPayload;
      const shot = shotOf(session, p.shotId);
      const backend = await speech.resolve(p.backendId);
      const scratch = await makeScratchDir('shotline-gen-');
      const voicings: { line: number; assetId: string }[] = [];
      try {
        for (const [k, i] of p.lines.entries()) {
          if (signal.aborted) throw new ShotlineError('canceled', 'Voicing canceled.');
          const d = shotOf(session, p.shotId).prompt.dialogue[i];
          if (!d?.line.trim()) throw new ShotlineError('invalid_input', `Line ${i + 1} of "${shot.title}" changed while it was being voiced.`, 'Voice it again.');
          const v = p.voices[speakerKey(d)] ?? { voice: null, speed: 1 };
          progress(k / p.lines.length, `Line ${i + 1}: ${speakerKey(d)}`);
          const sample = v.cameoId ? await checkCameo(backend, v.cameoId, { session, shot, gate: gate() }) : undefined;
          const wav = path.join(scratch.dir, `line${i}.wav`);
          const said = await backend.synthesize({ text: d.line, voice: v.voice, speed: v.speed, ...(sample && v.cameoId ? { voiceSample: { path: sample.path, cameoId: v.cameoId } } : {}) }, { outPath: wav, signal });
          // Each voicing is its own asset (media is content-addressed: two lines that sound alike must stay two).
          const tagged = path.join(scratch.dir, `line${i}-tagged.wav`);
          await fs.promises.writeFile(tagged, withWavComment(await fs.promises.readFile(wav), `Shotline dialogue ${p.shotId} line ${i} ${randomBytes(6).toString('hex')}`));
          const asset = await importOne(session, engine, { filePath: tagged, name: voicedLineName(d) }, {
            source: 'generated',
            backend: backend.id,
            model: v.voice ?? 'default',
            prompt: d.line.trim(),
            seed: 0,
            parameters: { dialogue: { shotId: p.shotId, line: i }, speaker: speakerKey(d), voice: v.voice, speed: v.speed, timings: said.timings, ...(v.cameoId ? { cameoId: v.cameoId } : {}) },
            inputAssetIds: [],
            createdAt: new Date().toISOString(),
          });
          voicings.push({ line: i, assetId: asset.id });
        }
      } finally {
        await scratch.cleanup();
      }
      if (signal.aborted) throw new ShotlineError('canceled', 'Voicing canceled.');
      progress(1, 'Placing the lines');
      session.edit('dialogue.place', { shotId: p.shotId, voicings });
      return { lines: voicings.length, assetIds: voicings.map((v) => v.assetId) };
    },
  };
}
