/**
 * Cameos on a ComfyUI endpoint, against a server speaking ComfyUI's API (tests/helpers/
 * fake-comfyui.ts, which records every upload and refuses a LoadImage / LoadAudio naming a file
 * it does not have): the cameo's still reaches the mapped LoadImage and its voice sample the
 * mapped LoadAudio (the shipped Wan 2.2 S2V workflow), byte for byte the library's media under
 * the consent's SHA-256; a cameo whose consent does not cover the voice queues nothing and
 * sends nothing; a voice workflow without a voiced cameo is refused before anything is sent.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { Endpoint } from '../../../app/endpoints/types.js';
import type { GeneratePayload } from '../../../app/generation/jobs.js';
import type { Job } from '../../../app/jobs/types.js';
import { secondsToFlicks } from '../../../app/time/flicks.js';
import { fitFilter } from '../../../main/backends/openai-videos/reference-image.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { startFakeComfy, type FakeComfy } from '../../helpers/fake-comfyui.js';
import { ffmpeg, ffprobeJson } from '../../helpers/media-fixtures.js';

const sha = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('cameos on a ComfyUI endpoint', () => {
  let comfy: FakeComfy;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-cameo-comfy-'));
  const home = path.join(tmp, 'home');
  let services: ShotlineServices;
  let api: ShotlineClient;
  let i2v: Endpoint;
  let s2v: Endpoint;
  const still = path.join(tmp, 'maya.png');
  const voice = path.join(tmp, 'maya.wav');
  const consent = { subject: 'Maya', audience: 'only-me' as const, covers: 'both' as const, signedName: 'Maya', signedOn: '2026-11-01' };
  async function waitJob(id: string): Promise<Job> {
    for (;;) {
      const j = (await api.call('jobs.list', {})).find((x) => x.id === id)!;
      if (['succeeded', 'failed', 'canceled'].includes(j.state)) return j;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const shot = async (subject: string) => Object.keys((await api.call('edit.apply', { command: 'shot.add', args: { fields: { durationFlicks: secondsToFlicks(2), prompt: { subject } } } })).patch.shots ?? {})[0]!;
  /** Raw RGB of a picture after a filter, decoded by ffmpeg (independent of the code under test). */
  const rgb = async (file: string, vf: string | null) => {
    const out = path.join(tmp, `rgb-${Math.random().toString(36).slice(2)}.raw`);
    await ffmpeg(['-i', file, ...(vf ? ['-vf', vf] : []), '-f', 'rawvideo', '-pix_fmt', 'rgb24', out]);
    return fs.readFileSync(out);
  };

  beforeAll(async () => {
    // A still with a distinct layout (so the uploaded picture is recognisably this one) and a voice.
    await ffmpeg(['-f', 'lavfi', '-i', 'color=c=red:size=320x320', '-f', 'lavfi', '-i', 'color=c=blue:size=320x320', '-filter_complex', '[0:v][1:v]hstack', '-frames:v', '1', still]);
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=300:duration=2', '-ar', '48000', voice]);
    comfy = await startFakeComfy();
    services = await ShotlineServices.create({ transport: 'in-process', userDataDir: home });
    api = inProcessClient(services);
    i2v = await api.call('endpoints.add', { name: 'Box i2v', kind: 'comfyui', baseUrl: comfy.url, options: { workflow: 'builtin:wan2.1-i2v', imageFit: 'pad' } });
    s2v = await api.call('endpoints.add', { name: 'Box s2v', kind: 'comfyui', baseUrl: comfy.url, options: { workflow: 'builtin:wan2.2-s2v', imageFit: 'pad' } });
    await api.call('project.create', { dir: path.join(tmp, 'film'), name: 'Film' });
  });
  afterAll(async () => {
    await services?.shutdown();
    await comfy?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the shipped S2V workflow declares a voice input; the i2v one does not', () => {
    expect(s2v.capabilities).toMatchObject({ tasks: ['image-to-video'], voiceInput: true, imageInput: true });
    expect(i2v.capabilities.voiceInput).toBe(false);
  });

  it('the cameo still reaches LoadImage on an i2v workflow: the library still, fitted to the workflow size', async () => {
    const maya = await api.call('cameos.create', { name: 'Maya', handle: 'maya', consent, sources: { stills: [{ path: still }], audio: { path: voice } } });
    const libStill = maya.media.find((m) => m.role === 'still')!;
    const libFile = path.join(home, 'cameo-media', `${libStill.sha256}.${libStill.ext}`);
    expect(sha(fs.readFileSync(libFile))).toBe(libStill.sha256);
    expect(maya.consent.media).toContainEqual({ role: 'still', sha256: libStill.sha256 });

    const [job] = await api.call('generation.start', { shotId: await shot('@maya waves'), backendId: `comfyui:${i2v.id}` });
    const done = await waitJob(job!.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    // One upload (no voice input on this workflow), named in the mapped LoadImage node.
    expect(comfy.uploaded).toHaveLength(1);
    const up = comfy.uploaded[0]!;
    expect(comfy.prompts.at(-1)!.graph['52']!.inputs.image).toBe(up.name);
    // Its pixels are the library still's, padded to 832x480 as the endpoint's imageFit says.
    expect(await rgb(up.path, null)).toEqual(await rgb(libFile, fitFilter(832, 480, 'pad')));
    const probe = await ffprobeJson(up.path);
    expect(probe.streams[0]).toMatchObject({ width: 832, height: 480 });
    const asset = Object.values((await api.call('project.snapshot', {})).state.assets).at(-1)!;
    const params = asset.provenance.source === 'generated' ? asset.provenance.parameters : {};
    expect(params.cameos).toEqual([{ cameoId: maya.id, handle: 'maya', consentRecordId: maya.consent.id, parts: ['likeness'], delivery: 'reference-image' }]);
  });

  it('the voice sample reaches LoadAudio on the S2V workflow, byte for byte the library sample the consent covers', async () => {
    const maya = (await api.call('cameos.list', {})).find((c) => c.handle === 'maya')!;
    const libVoice = maya.media.find((m) => m.role === 'voice')!;
    expect(maya.consent.media).toContainEqual({ role: 'voice', sha256: libVoice.sha256 });
    const before = comfy.uploaded.length;
    const [job] = await api.call('generation.start', { shotId: await shot('@maya says hello'), backendId: `comfyui:${s2v.id}` });
    const done = await waitJob(job!.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const ups = comfy.uploaded.slice(before);
    expect(ups).toHaveLength(2);
    const audio = ups.find((u) => u.type.startsWith('audio/'))!;
    const image = ups.find((u) => u.type === 'image/png')!;
    expect(audio).toMatchObject({ sha256: libVoice.sha256, bytes: libVoice.bytes, type: 'audio/wav' });
    const g = comfy.prompts.at(-1)!.graph;
    expect(g['58']).toMatchObject({ class_type: 'LoadAudio', inputs: { audio: audio.name } });
    expect(g['52']).toMatchObject({ class_type: 'LoadImage', inputs: { image: image.name } });
    // The take carries the voice (the workflow's CreateVideo takes the LoadAudio output).
    const s = (await api.call('project.snapshot', {})).state;
    const asset = Object.values(s.assets).at(-1)!;
    const probe = await ffprobeJson(path.join(tmp, 'film', asset.path));
    expect(probe.streams.map((x) => x.codec_type).sort()).toEqual(['audio', 'video']);
    const params = asset.provenance.source === 'generated' ? asset.provenance.parameters : {};
    expect(params.cameos).toEqual([{ cameoId: maya.id, handle: 'maya', consentRecordId: maya.consent.id, parts: ['likeness', 'voice'], delivery: 'reference-image' }]);
    expect((params.inputs as { role: string; sha256: string }[]).map((i) => [i.role, i.sha256])).toContainEqual(['voice', libVoice.sha256]);
    const uses = (await api.call('cameos.get', { id: maya.id })).uses.filter((u) => u.endpoint === 'Box s2v (ComfyUI: wan2.2-s2v)');
    expect(uses.map((u) => u.part).sort()).toEqual(['likeness', 'voice']);
  });

  it('consent that does not cover the voice: nothing queued, nothing uploaded, nothing prompted, a message that says why', async () => {
    const kai = await api.call('cameos.create', { name: 'Kai', handle: 'kai', consent: { ...consent, subject: 'Kai', signedName: 'Kai', covers: 'likeness' }, sources: { stills: [{ path: still }], audio: { path: voice } } });
    expect(kai.parts.voice).toBe(true);
    const routes = comfy.routes.length;
    const jobs = (await api.call('jobs.list', {})).length;
    await expect(api.call('generation.start', { shotId: await shot('@kai says hello'), backendId: `comfyui:${s2v.id}` })).rejects.toThrow(
      /consent for @kai \(Kai\) covers likeness only, not the voice\. "Box s2v \(ComfyUI: wan2\.2-s2v\)" takes the voice sample of @kai, so nothing was queued/,
    );
    expect((await api.call('jobs.list', {})).length).toBe(jobs);
    expect(comfy.routes.slice(routes).filter((r) => r.startsWith('POST'))).toEqual([]);
    // The same cameo on the still-only workflow is fine: its voice is not sent there.
    const [job] = await api.call('generation.start', { shotId: await shot('@kai waves'), backendId: `comfyui:${i2v.id}` });
    expect((await waitJob(job!.id)).state).toBe('succeeded');
    expect(comfy.uploaded.at(-1)!.type).toBe('image/png');
  });

  it('a voice workflow with no voiced cameo in the shot is refused before anything is sent', async () => {
    const routes = comfy.routes.length;
    await expect(api.call('generation.start', { shotId: await shot('@kai waves'), backendId: `comfyui:${s2v.id}` })).rejects.toThrow(/consent for @kai/);
    await expect(api.call('generation.start', { shotId: await shot('a quiet sea'), backendId: `comfyui:${s2v.id}` })).rejects.toThrow(/makes a clip from a voice sample, and this shot has no cameo with a voice/);
    expect(comfy.routes.slice(routes).filter((r) => r.startsWith('POST'))).toEqual([]);
  });

  it('a voice-only consent: heard through the voice input, named where the backend takes no voice, refused only where it would appear', async () => {
    const ines = await api.call('cameos.create', { name: 'Ines', handle: 'ines', description: 'tall, red coat', consent: { ...consent, subject: 'Ines', signedName: 'Ines', covers: 'voice' }, sources: { stills: [{ path: still }], audio: { path: voice } } });
    const kai = (await api.call('cameos.list', {})).find((c) => c.handle === 'kai')!;
    const libVoice = ines.media.find((m) => m.role === 'voice')!;
    const kaiStill = kai.media.find((m) => m.role === 'still')!;
    const speaking = async (subject: string) =>
      Object.keys((await api.call('edit.apply', { command: 'shot.add', args: { fields: { durationFlicks: secondsToFlicks(2), prompt: { subject, dialogue: [{ speaker: '@ines', line: 'Hello there' }] } } } })).patch.shots ?? {})[0]!;
    // S2V: Kai (likeness only) is the first frame, Ines's voice reaches LoadAudio. Before, her likeness was checked first and nothing was queued.
    let before = comfy.uploaded.length;
    const shotA = await speaking('@kai listens');
    const [job] = await api.call('generation.start', { shotId: shotA, backendId: `comfyui:${s2v.id}` });
    expect((await waitJob(job!.id)).state).toBe('succeeded');
    const ups = comfy.uploaded.slice(before);
    expect(ups.find((u) => u.type.startsWith('audio/'))).toMatchObject({ sha256: libVoice.sha256, bytes: libVoice.bytes });
    expect(ups.filter((u) => u.type === 'image/png')).toHaveLength(1);
    expect(comfy.prompts.at(-1)!.graph['58']!.inputs.audio).toBe(ups.find((u) => u.type.startsWith('audio/'))!.name);
    // What the take was planned with (its payload: the fake server returns the same bytes for every
    // prompt, so the content-addressed asset, and its provenance, is shared with earlier takes).
    const planned = (j: Job) => j.payload as GeneratePayload;
    const pa = planned((await api.call('jobs.list', {})).find((j) => j.id === job!.id)!);
    expect(pa.cameos!.map((c) => [c.handle, c.consentRecordId, c.delivery, c.parts])).toEqual([
      ['kai', kai.consent.id, 'reference-image', ['likeness']],
      ['ines', ines.consent.id, 'voice', ['voice']],
    ]);
    expect(pa.inputs.cameoVoice).toEqual({ cameoId: ines.id, sha256: libVoice.sha256, ext: 'wav' });
    expect(pa.inputs.cameoReference).toMatchObject({ cameoId: kai.id, sha256: kaiStill.sha256 });
    // Her name is in the prompt, her appearance notes are not (she is heard, not seen).
    expect(pa.request.prompt).toContain('Ines: "Hello there"');
    expect(pa.request.prompt).not.toContain('red coat');
    expect((await api.call('cameos.get', { id: ines.id })).uses.map((u) => u.part)).toEqual(['voice']);

    // i2v (no voice input): Kai's still goes, nothing of Ines (her lines are for Voice dialogue); she is not in the take's provenance.
    before = comfy.uploaded.length;
    const shotB = await speaking('@kai listens');
    const [job2] = await api.call('generation.start', { shotId: shotB, backendId: `comfyui:${i2v.id}` });
    expect((await waitJob(job2!.id)).state).toBe('succeeded');
    expect(comfy.uploaded.slice(before).map((u) => u.sha256)).toEqual([expect.any(String)]);
    expect(comfy.uploaded.at(-1)!.type).toBe('image/png');
    const pb = planned((await api.call('jobs.list', {})).find((j) => j.id === job2!.id)!);
    expect(pb.cameos!.map((c) => [c.handle, c.delivery, c.parts])).toEqual([
      ['kai', 'reference-image', ['likeness']],
      ['ines', 'none', []],
    ]);
    expect(pb.inputs.cameoVoice).toBeUndefined();
    // (A silent workflow gets no dialogue in its prompt; no raw "@ines" either way.)
    expect(pb.request.prompt).not.toContain('@ines');
    expect((await api.call('cameos.get', { id: ines.id })).uses).toHaveLength(1);

    // Named in the picture: refused, saying she can be heard but not seen; nothing queued or sent.
    const routes = comfy.routes.length;
    const jobs = (await api.call('jobs.list', {})).length;
    for (const backendId of [`comfyui:${i2v.id}`, `comfyui:${s2v.id}`])
      await expect(api.call('generation.start', { shotId: await speaking('@ines walks in'), backendId })).rejects.toThrow(
        /consent for @ines \(Ines\) covers voice only, not the likeness\. @ines can be heard \(a dialogue speaker, or a workflow's voice input\) but cannot appear in the picture/,
      );
    expect((await api.call('jobs.list', {})).length).toBe(jobs);
    expect(comfy.routes.slice(routes).filter((r) => r.startsWith('POST'))).toEqual([]);
  });

  it('revoke names the ComfyUI servers that were sent the cameo (they keep uploaded inputs) and the files they keep, and only those', async () => {
    const ines = (await api.call('cameos.list', {})).find((c) => c.handle === 'ines')!;
    // Ines's voice went to the S2V server once (on i2v she was only named): the last audio upload.
    // (Maya's voice sample is the same recording, so the bytes alone would not tell them apart.)
    expect([...new Set((await api.call('cameos.get', { id: ines.id })).uses.map((u) => u.endpoint))]).toEqual(['Box s2v (ComfyUI: wan2.2-s2v)']);
    const audio = comfy.uploaded.filter((u) => u.type.startsWith('audio/')).map((u) => u.name);
    expect(audio).toHaveLength(2);
    const [mayaVoiceFile, inesVoiceFile] = audio as [string, string];
    const inesFiles = [inesVoiceFile];
    const r = await api.call('cameos.revoke', { id: ines.id, reason: 'asked' });
    expect(r.remoteFiles).toEqual([{ endpointName: 'Box s2v', baseUrl: comfy.url, files: inesFiles, note: expect.stringContaining('ComfyUI has no route to delete uploaded inputs') }]);
    expect(r.remoteCopies).toEqual([]);

    // Renamed since the uploads: still named (by endpoint id, under its name now). Maya's stills
    // went to both servers, her voice to S2V: every file named is one the server holds, and none is Kai's or Ines's.
    await api.call('endpoints.update', { id: i2v.id, name: 'Studio i2v' });
    const maya = (await api.call('cameos.list', {})).find((c) => c.handle === 'maya')!;
    // Two more servers in her use log and none of her uploads: a take queued there before uploads
    // were recorded (listed, without file names), and one queued since (it sent nothing: not listed).
    const old = await api.call('endpoints.add', { name: 'Old box', kind: 'comfyui', baseUrl: 'http://127.0.0.1:9', options: { workflow: 'builtin:wan2.1-i2v' } });
    await api.call('endpoints.add', { name: 'Idle box', kind: 'comfyui', baseUrl: 'http://127.0.0.1:9', options: { workflow: 'builtin:wan2.1-i2v' } });
    const use = { cameoId: maya.id, consentId: maya.consent.id, part: 'likeness' as const, projectDir: tmp, projectName: 'Film', shotId: null, shotTitle: null, takeLabel: null, purpose: 'generate' };
    services.cameos.lib.rows.logUse({ ...use, endpoint: 'Old box (ComfyUI: wan2.1-i2v)', at: '2026-01-01T00:00:00.000Z' });
    services.cameos.lib.rows.logUse({ ...use, endpoint: 'Idle box (ComfyUI: wan2.1-i2v)', at: new Date().toISOString() });
    const all = (await api.call('cameos.revoke', { id: maya.id })).remoteFiles;
    expect(all.find((f) => f.endpointName === 'Old box')).toEqual({ endpointName: 'Old box', baseUrl: old.baseUrl, files: [], note: expect.stringContaining('remove the shotline-') });
    const files = all.filter((f) => f.endpointName !== 'Old box');
    expect(files.map((f) => f.endpointName).sort()).toEqual(['Box s2v', 'Studio i2v']);
    const held = new Set(comfy.uploaded.filter((u) => fs.existsSync(u.path)).map((u) => u.name));
    for (const f of files) {
      expect(f.files.length).toBeGreaterThan(0);
      for (const name of f.files) expect(held.has(name)).toBe(true);
      expect(f.files.some((n) => inesFiles.includes(n))).toBe(false);
    }
    // On S2V: her still and her voice; on i2v: her still.
    expect(files.find((f) => f.endpointName === 'Box s2v')!.files).toEqual([expect.stringMatching(/\.png$/), mayaVoiceFile]);
    expect(files.find((f) => f.endpointName === 'Studio i2v')!.files).toEqual([expect.stringMatching(/\.png$/)]);
  });
});
