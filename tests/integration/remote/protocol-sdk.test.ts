/**
 * The `/v1/videos` server (what `shotline serve` runs) driven by the official `openai` SDK:
 * create, retrieve, downloadContent (video + thumbnail, Range), remix, list, delete, the
 * error shape, the bearer token, and Idempotency-Key mapping a retried POST to one video.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeJson } from '../../helpers/media-fixtures.js';
import { startFakeVideoService } from '../../helpers/fake-video-service.js';

describe('/v1/videos server with the official openai SDK', () => {
  let server: Awaited<ReturnType<typeof startFakeVideoService>>;
  let client: OpenAI;
  let tmp: string;
  beforeAll(async () => {
    server = await startFakeVideoService({ delayMs: 150 });
    client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: server.token, maxRetries: 0 });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-proto-'));
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function until(id: string) {
    for (;;) {
      const v = await client.videos.retrieve(id);
      if (v.status === 'completed' || v.status === 'failed') return v;
      expect(v.progress).toBeGreaterThanOrEqual(0);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('create → retrieve → downloadContent → remix → list → delete', async () => {
    const v = await client.videos.create({ prompt: 'a lighthouse at dusk', seconds: '1' as '4', size: '320x180' as '1280x720', model: 'fake-video-1' as 'sora-2' });
    expect(v).toMatchObject({ object: 'video', status: 'queued', prompt: 'a lighthouse at dusk', seconds: '1', size: '320x180', model: 'fake-video-1' });
    const done = await until(v.id);
    expect(done).toMatchObject({ status: 'completed', progress: 100, error: null });
    expect(done.expires_at).toBeGreaterThan(done.created_at);

    const res = await client.videos.downloadContent(v.id);
    const file = path.join(tmp, 'a.mp4');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const probe = await ffprobeJson(file);
    expect(probe.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 320, height: 180 });

    const thumb = await client.videos.downloadContent(v.id, { variant: 'thumbnail' });
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    const jpg = Buffer.from(await thumb.arrayBuffer());
    expect(jpg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

    // Range: the tail only (what a resumed download asks for).
    const whole = fs.statSync(file).size;
    const part = await client.videos.downloadContent(v.id, {}, { headers: { Range: `bytes=${whole - 100}-` } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(fs.readFileSync(file).subarray(whole - 100));

    const r = await client.videos.remix(v.id, { prompt: 'the same lighthouse in snow' });
    expect(r).toMatchObject({ remixed_from_video_id: v.id, seconds: '1', size: '320x180' });
    await until(r.id);
    expect(server.maker.made.at(-1)).toMatchObject({ op: 'remix', prompt: 'the same lighthouse in snow' });

    const page = await client.videos.list({ limit: 1 });
    expect(page.data.map((x) => x.id)).toEqual([r.id]); // newest first
    const next = await page.getNextPage();
    expect(next.data.map((x) => x.id)).toEqual([v.id]);

    expect(await client.videos.delete(v.id)).toEqual({ id: v.id, object: 'video.deleted', deleted: true });
    await expect(client.videos.retrieve(v.id)).rejects.toMatchObject({ status: 404, error: { code: 'not_found' } });
  });

  it('extensions and edits (by id) make new videos from a finished one', async () => {
    const v = await client.videos.create({ prompt: 'waves', seconds: '1' as '4', size: '180x320' as '720x1280' });
    await until(v.id);
    const ext = await client.videos.extend({ prompt: 'more waves', seconds: '4', video: { id: v.id } });
    expect(ext.remixed_from_video_id).toBe(v.id);
    const ed = await client.videos.edit({ prompt: 'waves at night', video: { id: v.id } });
    expect((await until(ed.id)).status).toBe('completed');
    expect(server.maker.made.filter((m) => m.op === 'edit').at(-1)).toMatchObject({ prompt: 'waves at night', size: { width: 180, height: 320 } });
  });

  it('errors in the documented shape; token required; Idempotency-Key maps a retry to the same video', async () => {
    await expect(client.videos.create({ prompt: 'x', size: '1920x1080' as '1280x720' })).rejects.toMatchObject({
      status: 400,
      error: { type: 'invalid_request_error', param: 'size', code: 'invalid_value', message: expect.stringContaining('320x180') },
    });
    const stranger = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'wrong-token-xyz', maxRetries: 0 });
    await expect(stranger.videos.list()).rejects.toMatchObject({ status: 401, error: { code: 'invalid_api_key' } });

    const before = server.store.created;
    const a = await client.videos.create({ prompt: 'once', seconds: '1' as '4' }, { headers: { 'Idempotency-Key': 'k-1' } });
    const b = await client.videos.create({ prompt: 'once', seconds: '1' as '4' }, { headers: { 'Idempotency-Key': 'k-1' } });
    expect(b.id).toBe(a.id);
    expect(server.store.created).toBe(before + 1);
  });
});
