/**
 * "Voice dialogue" through the real services (espeak-ng, SQLite, ffmpeg probe): every line of a
 * shot becomes a labelled audio clip on a Dialogue track at its place in the shot; revoicing one
 * line replaces only its clip and keeps the user's edits; the whole voicing is one undo; a
 * canceled job places nothing; bad requests are refused before anything is queued; a cameo
 * voice is refused on a backend without voice cloning.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { Job } from '../../../app/jobs/types.js';
import type { ProjectState } from '../../../app/model/types.js';
import { DIALOGUE_LEAD_FLICKS, dialogueClipsOf } from '../../../app/dialogue/placement.js';
import { secondsToFlicks } from '../../../app/time/flicks.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { readWav } from '../../../main/speech/wav.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-voice-'));
let services: ShotlineServices;
let api: ShotlineClient;
let shotId: string;

async function waitJob(id: string): Promise<Job> {
  for (;;) {
    const j = (await api.call('jobs.list', {})).find((x) => x.id === id)!;
    if (['succeeded', 'failed', 'canceled'].includes(j.state)) return j;
    await new Promise((r) => setTimeout(r, 50));
  }
}
const state = async (): Promise<ProjectState> => (await api.call('project.snapshot', {})).state;

beforeAll(async () => {
  services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
  api = inProcessClient(services);
  await api.call('project.create', { dir: path.join(tmp, 'film'), name: 'Voices' });
  await api.call('edit.apply', { command: 'shot.add', args: { shotId: 'shot_a', fields: { title: 'Door', durationFlicks: secondsToFlicks(8) } } });
  shotId = 'shot_a';
  await api.call('edit.apply', {
    command: 'shot.update',
    args: { shotId, fields: { prompt: { dialogue: [{ speaker: 'ANNA', line: 'Who is there?' }, { speaker: 'BEN', line: 'Only me. Open the door.' }, { speaker: 'ANNA', line: 'Yes.' }, { speaker: 'BEN', line: 'Yes.' }] } } },
  });
});
afterAll(async () => {
  await services.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('Voice dialogue', () => {
  it('lists the built-in voice', async () => {
    const list = await api.call('speech.backends', {});
    expect(list[0]).toMatchObject({ id: 'espeak-ng', status: 'ready' });
  });

  it('voices every line into labelled clips on a Dialogue track, as one undoable edit', async () => {
    const job = await api.call('dialogue.voice', { shotId });
    const done = await waitJob(job.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const st = await state();
    const byLine = dialogueClipsOf(st, shotId);
    expect([...byLine.keys()].sort()).toEqual([0, 1, 2, 3]);
    const clips = [0, 1, 2, 3].map((i) => byLine.get(i)![0]!);
    const names = clips.map((c) => st.assets[c.assetId]!.name);
    expect(names).toEqual(['ANNA: Who is there?', 'BEN: Only me. Open the door.', 'ANNA: Yes.', 'BEN: Yes.']);
    // Two lines with the same words are still two media (each voicing is its own asset).
    expect(clips[2]!.assetId).not.toBe(clips[3]!.assetId);
    const track = st.tracks[clips[0]!.trackId]!;
    expect(track).toMatchObject({ kind: 'audio', name: 'Dialogue' });
    expect(clips.every((c) => c.trackId === track.id)).toBe(true);
    // In order, after a short lead-in, never overlapping.
    expect(clips[0]!.startFlicks).toBe(DIALOGUE_LEAD_FLICKS);
    for (let i = 1; i < 4; i++) expect(clips[i]!.startFlicks).toBeGreaterThan(clips[i - 1]!.startFlicks + (clips[i - 1]!.outFlicks - clips[i - 1]!.inFlicks));
    // Real speech in the project's media; speakers get different voices.
    const a0 = st.assets[clips[0]!.assetId]!;
    const wav = readWav(fs.readFileSync(path.join(tmp, 'film', st.assets[clips[1]!.assetId]!.path)));
    expect(wav.durationSeconds).toBeGreaterThan(1);
    expect(a0.provenance).toMatchObject({ source: 'generated', backend: 'espeak-ng', prompt: 'Who is there?' });
    const voiceOf = (i: number) => (st.assets[clips[i]!.assetId]!.provenance as unknown as { parameters: { voice: string } }).parameters.voice;
    expect(voiceOf(0)).toBe(voiceOf(2));
    expect(voiceOf(0)).not.toBe(voiceOf(1));
    // One undo removes the whole voicing (the imported media stays in the bin).
    await api.call('edit.undo', {});
    expect(dialogueClipsOf(await state(), shotId).size).toBe(0);
    await api.call('edit.redo', {});
    expect(dialogueClipsOf(await state(), shotId).size).toBe(4);
  }, 60_000);

  it("revoicing one line replaces its clip only and keeps the user's edits", async () => {
    let st = await state();
    const before = dialogueClipsOf(st, shotId);
    const c1 = before.get(1)![0]!;
    await api.call('edit.apply', { command: 'clip.move', args: { clipId: c1.id, startFlicks: secondsToFlicks(20) } });
    await api.call('edit.apply', { command: 'clip.setEffects', args: { clipId: c1.id, effects: { volume: 0.4 } } });
    await api.call('edit.apply', { command: 'clip.setEffects', args: { clipId: before.get(0)![0]!.id, effects: { volume: 1.5 } } });
    await api.call('edit.apply', { command: 'shot.update', args: { shotId, fields: { prompt: { dialogue: [{ speaker: 'ANNA', line: 'Who is there?' }, { speaker: 'BEN', line: 'Only me, and I am freezing out here.' }, { speaker: 'ANNA', line: 'Yes.' }, { speaker: 'BEN', line: 'Yes.' }] } } } });
    const kept = structuredClone((await state()).clips);
    const done = await waitJob((await api.call('dialogue.voice', { shotId, lines: [1], voices: { BEN: { voice: 'en-us+m3', speed: 1.2 } } })).id);
    expect(done.state).toBe('succeeded');
    st = await state();
    const now = dialogueClipsOf(st, shotId).get(1)!;
    expect(now).toHaveLength(1);
    expect(now[0]!.id).not.toBe(c1.id);
    expect(now[0]).toMatchObject({ startFlicks: secondsToFlicks(20), trackId: c1.trackId, effects: { volume: 0.4 } });
    expect(st.assets[now[0]!.assetId]!.name).toBe('BEN: Only me, and I am freezing out here.');
    for (const [id, c] of Object.entries(kept)) if (id !== c1.id) expect(st.clips[id]).toEqual(c);
    // BEN's other line, revoiced with no voice given, sounds like BEN's newest voicing.
    expect((await waitJob((await api.call('dialogue.voice', { shotId, lines: [3] })).id)).state).toBe('succeeded');
    st = await state();
    const p3 = st.assets[dialogueClipsOf(st, shotId).get(3)![0]!.assetId]!.provenance as unknown as { parameters: { voice: string; speed: number } };
    expect(p3.parameters).toMatchObject({ voice: 'en-us+m3', speed: 1.2 });
  }, 60_000);

  it('refuses bad requests before queueing, and cameo voices on a backend without cloning', async () => {
    const jobsBefore = (await api.call('jobs.list', {})).length;
    await expect(api.call('dialogue.voice', { shotId, lines: [9] })).rejects.toThrow(/no dialogue line 10/);
    await expect(api.call('dialogue.voice', { shotId: 'nope' })).rejects.toThrow(/no longer in the storyboard/);
    await expect(api.call('dialogue.voice', { shotId, voices: { ANNA: { voice: 'klingon' } } })).rejects.toThrow(/no voice "klingon"/);
    await expect(api.call('dialogue.voice', { shotId, lines: [0], voices: { ANNA: { cameoId: 'cameo_1' } } })).rejects.toThrow(/cannot speak in a cameo's voice/);
    await expect(api.call('dialogue.voice', { shotId, backendId: 'openai-speech:ep_missing' })).rejects.toThrow(/no longer configured/);
    expect((await api.call('jobs.list', {})).length).toBe(jobsBefore);
  }, 60_000);

  it('a canceled voicing places nothing', async () => {
    const before = structuredClone((await state()).clips);
    const job = await api.call('dialogue.voice', { shotId });
    await api.call('jobs.cancel', { jobId: job.id });
    const done = await waitJob(job.id);
    expect(done.state).toBe('canceled');
    expect((await state()).clips).toEqual(before);
  }, 60_000);
});
