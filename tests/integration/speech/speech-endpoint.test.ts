/**
 * A speech endpoint configured like the video ones: an `openai-speech` row in the app library
 * (migrated from the version-2 schema, whose CHECK refused the kind), its key from the
 * keychain-less fallback (SHOTLINE_ENDPOINT_KEY_<NAME>), tested against a real /v1/audio/speech
 * server on loopback, and resolved as a speech backend. The key is used (the server demands
 * it) and is in no database file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { selectEngine } from '../../../main/media/select-engine.js';
import { startVideosServer, type VideosServer } from '../../../main/serve/http-server.js';
import { createSpeechRoute } from '../../../main/serve/speech-route.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { EspeakBackend } from '../../../main/speech/espeak.js';
import { LIBRARY_MIGRATIONS } from '../../../main/store/migrations.js';

const KEY = `sk-speech-${randomBytes(10).toString('hex')}`;

describe('openai-speech endpoints', () => {
  let tmp: string;
  let server: VideosServer;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-speech-ep-'));
    const engine = await selectEngine({});
    server = await startVideosServer({ maker: { models: async () => [], make: async () => {} }, token: KEY, speech: createSpeechRoute(await EspeakBackend.create(), engine) });
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a version-2 library keeps its endpoints and then accepts the speech kind', async () => {
    const home = path.join(tmp, 'home-old');
    fs.mkdirSync(home);
    const db = new Database(path.join(home, 'library.sqlite'));
    for (const m of LIBRARY_MIGRATIONS.filter((x) => x.version <= 2)) db.exec(m.up);
    db.pragma('user_version = 2');
    db.prepare(`INSERT INTO endpoints VALUES ('ep_old','Old videos','openai-videos','http://127.0.0.1:9',NULL,2,NULL,NULL,'{}','{}',NULL,'t','t')`).run();
    expect(() => db.prepare(`INSERT INTO endpoints VALUES ('ep_s','S','openai-speech','http://127.0.0.1:9',NULL,1,NULL,NULL,'{}','{}',NULL,'t','t')`).run()).toThrow(/CHECK/);
    db.close();
    const services = await ShotlineServices.create({ transport: 'in-process', userDataDir: home });
    try {
      const client = inProcessClient(services);
      const added = await client.call('endpoints.add', { name: 'Voice box', kind: 'openai-speech', baseUrl: server.url });
      const all = await client.call('endpoints.list', {});
      expect(all.map((e) => [e.name, e.kind]).sort()).toEqual([['Old videos', 'openai-videos'], ['Voice box', 'openai-speech']]);
      expect(added.kind).toBe('openai-speech');
    } finally {
      await services.shutdown();
    }
  });

  it('test connection speaks through the key from the environment; the key is in no database file', async () => {
    const home = path.join(tmp, 'home');
    process.env.SHOTLINE_ENDPOINT_KEY_SPEECH_HOST = KEY;
    const services = await ShotlineServices.create({ transport: 'in-process', userDataDir: home });
    try {
      const client = inProcessClient(services);
      const ep = await client.call('endpoints.add', { name: 'Speech host', kind: 'openai-speech', baseUrl: server.url });
      expect(ep.keySource).toBe('environment');
      const r = await client.call('endpoints.test', { id: ep.id });
      expect(r.message).toMatch(/spoke a \d+\.\d s test line/);
      expect(r.ok).toBe(true);
      await expect(client.call('endpoints.update', { id: ep.id, pool: 'gpus' })).rejects.toThrow(/speech endpoint cannot join a pool/);
      // Resolved as a speech backend, it voices a line through the real server.
      const backend = await services.speech.resolve(`openai-speech:${ep.id}`);
      const out = path.join(tmp, 'line.wav');
      const said = await backend.synthesize({ text: 'Is anyone out there?', voice: 'nova', speed: 1 }, { outPath: out });
      expect(said.durationSeconds).toBeGreaterThan(0.8);
      const list = await services.speech.list();
      expect(list.map((b) => b.id)).toEqual(['espeak-ng', `openai-speech:${ep.id}`]);
      expect(list[0]!.status).toBe('ready');
    } finally {
      await services.shutdown();
      delete process.env.SHOTLINE_ENDPOINT_KEY_SPEECH_HOST;
    }
    for (const f of fs.readdirSync(home, { recursive: true }) as string[]) {
      const file = path.join(home, f);
      if (fs.statSync(file).isFile()) expect(fs.readFileSync(file).includes(KEY)).toBe(false);
    }
    // Without the key the same server refuses, and the test says so in words.
    const services2 = await ShotlineServices.create({ transport: 'in-process', userDataDir: home });
    try {
      const client = inProcessClient(services2);
      const [ep] = await client.call('endpoints.list', {});
      const r = await client.call('endpoints.test', { id: ep!.id });
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(/refused the API key \(401\)/);
    } finally {
      await services2.shutdown();
    }
  });
});
