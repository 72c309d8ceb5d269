/**
 * `shotline serve` as a child process offering `/v1/audio/speech` (espeak-ng): driven by the
 * official `openai` SDK (`audio.speech.create`) and by Shotline's own speech client
 * (OpenAiSpeechBackend). The audio that comes back is decoded by ffmpeg and measured: a
 * server that sent silence, the wrong length or no real audio fails here.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectEngine } from '../../../main/media/select-engine.js';
import { OpenAiSpeechBackend } from '../../../main/speech/openai-speech.js';
import { readWav } from '../../../main/speech/wav.js';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const TOKEN = 'speech-serve-token-0123456789';

/** Decode any audio file to 24 kHz mono s16 and return its samples. */
function decode(file: string): Int16Array {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-ac', '1', '-ar', '24000', '-f', 's16le', '-'], { maxBuffer: 64 << 20 });
  return new Int16Array(raw.buffer, raw.byteOffset, raw.length / 2);
}
function rms(s: Int16Array): number {
  let t = 0;
  for (const v of s) t += (v / 32768) ** 2;
  return Math.sqrt(t / Math.max(1, s.length));
}

describe('shotline serve: /v1/audio/speech', () => {
  let child: ChildProcess;
  let out = '';
  let url: string;
  let tmp: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-speech-serve-'));
    const emptyModels = path.join(tmp, 'models');
    fs.mkdirSync(emptyModels);
    child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/shotline.mjs'), 'serve', '--port', '0', '--token', TOKEN, '--models', emptyModels], {
      cwd: REPO_ROOT,
      env: { ...process.env, SHOTLINE_HOME: path.join(tmp, 'home') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 60_000);
      child.stdout!.on('data', () => {
        const m = /Serving \/v1\/audio\/speech on (http:\/\/127\.0\.0\.1:\d+)\/v1 \(espeak-ng/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m[1]!);
        }
      });
      child.once('exit', (c) => reject(new Error(`serve exited (${c}):\n${out}`)));
    });
  }, 90_000);
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await done;
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the openai SDK: audio.speech.create returns real mp3 speech (the default format)', async () => {
    const sdk = new OpenAI({ baseURL: `${url}/v1`, apiKey: TOKEN, maxRetries: 0 });
    const res = await sdk.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Meet me at the lighthouse when the fog rolls in.' });
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    const file = path.join(tmp, 'sdk.mp3');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const samples = decode(file);
    const seconds = samples.length / 24000;
    expect(seconds).toBeGreaterThan(1.5);
    expect(seconds).toBeLessThan(8);
    expect(rms(samples)).toBeGreaterThan(0.02);
  });

  it('the openai SDK: wav and pcm are 24 kHz mono 16-bit, as the protocol documents; speed 2 is shorter', async () => {
    const sdk = new OpenAI({ baseURL: `${url}/v1`, apiKey: TOKEN, maxRetries: 0 });
    const input = 'The tide is coming in faster than we thought.';
    const wav = Buffer.from(await (await sdk.audio.speech.create({ model: 'espeak-ng', voice: 'coral', input, response_format: 'wav' })).arrayBuffer());
    const info = readWav(wav);
    expect(info.sampleRate).toBe(24000);
    expect(info.channels).toBe(1);
    const pcm = Buffer.from(await (await sdk.audio.speech.create({ model: 'espeak-ng', voice: 'coral', input, response_format: 'pcm' })).arrayBuffer());
    // The same speech without a header: within a few ms of the WAV's samples.
    expect(Math.abs(pcm.length / 2 - info.samples.length)).toBeLessThan(240);
    const fast = readWav(Buffer.from(await (await sdk.audio.speech.create({ model: 'espeak-ng', voice: 'coral', input, response_format: 'wav', speed: 2 })).arrayBuffer()));
    expect(fast.durationSeconds).toBeLessThan(info.durationSeconds * 0.75);
  });

  it("Shotline's speech client against the real server: a WAV with a line timing", async () => {
    const engine = await selectEngine({});
    const backend = new OpenAiSpeechBackend({ id: 'ep_test', name: 'Serve', baseUrl: url, model: null }, TOKEN, engine, { maxRetries: 0 });
    const outPath = path.join(tmp, 'client.wav');
    const r = await backend.synthesize({ text: 'Hold the rope. Do not let go.', voice: 'onyx', speed: 1 }, { outPath });
    const w = readWav(fs.readFileSync(outPath));
    expect(w.durationSeconds).toBeGreaterThan(1);
    expect(rms(w.samples)).toBeGreaterThan(0.02);
    expect(r.timings[0]!.end).toBeGreaterThan(r.timings[0]!.start + 0.8);
    expect(fs.readdirSync(tmp).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('errors come in the protocol shape and the client says them in words', async () => {
    const noKey = await fetch(`${url}/v1/audio/speech`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'tts-1', voice: 'alloy', input: 'hi' }) });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ error: { code: 'invalid_api_key', type: 'invalid_request_error' } });
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
    const badVoice = await fetch(`${url}/v1/audio/speech`, { method: 'POST', headers: auth, body: JSON.stringify({ model: 'tts-1', voice: 'nobody', input: 'hi' }) });
    expect(badVoice.status).toBe(400);
    expect(await badVoice.json()).toMatchObject({ error: { param: 'voice', type: 'invalid_request_error', code: 'invalid_value' } });
    const noInput = await fetch(`${url}/v1/audio/speech`, { method: 'POST', headers: auth, body: JSON.stringify({ model: 'tts-1', voice: 'alloy' }) });
    expect(await noInput.json()).toMatchObject({ error: { param: 'input', code: 'missing_required_parameter' } });
    const badFormat = await fetch(`${url}/v1/audio/speech`, { method: 'POST', headers: auth, body: JSON.stringify({ model: 'tts-1', voice: 'alloy', input: 'hi', response_format: 'wma' }) });
    expect(await badFormat.json()).toMatchObject({ error: { param: 'response_format' } });

    const engine = await selectEngine({});
    const wrongKey = new OpenAiSpeechBackend({ id: 'ep_x', name: 'Serve', baseUrl: url, model: null }, 'wrong-key', engine, { maxRetries: 0 });
    await expect(wrongKey.synthesize({ text: 'hi', voice: 'alloy', speed: 1 }, { outPath: path.join(tmp, 'no.wav') })).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/"Serve" refused the API key \(401\)/) });
    const unknownVoice = new OpenAiSpeechBackend({ id: 'ep_x', name: 'Serve', baseUrl: url, model: null }, TOKEN, engine, { maxRetries: 0 });
    await expect(unknownVoice.synthesize({ text: 'hi', voice: 'nobody', speed: 1 }, { outPath: path.join(tmp, 'no.wav') })).rejects.toThrow(/Unknown voice 'nobody'/);
    expect(fs.existsSync(path.join(tmp, 'no.wav'))).toBe(false);
  });

  it('/v1/models lists the speech model with what it can do', async () => {
    const sdk = new OpenAI({ baseURL: `${url}/v1`, apiKey: TOKEN, maxRetries: 0 });
    const list = await sdk.models.list();
    const m = list.data.find((x) => x.id === 'espeak-ng') as unknown as { speech: { voices: string[]; voiceCloning: boolean } };
    expect(m.speech.voices).toContain('alloy');
    expect(m.speech.voices).toContain('en-us+f3');
    expect(m.speech.voiceCloning).toBe(false);
  });
});
