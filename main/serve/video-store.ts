/**
 * The state of a `/v1/videos` server: video objects, their files, and the idempotency keys
 * that map a retried submission to the video it already created. Jobs run through a
 * `VideoMaker` with a fixed concurrency; everything else is bookkeeping in the protocol's shape.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { EndpointCapabilities } from '../../app/endpoints/types.js';

export type VideoStatus = 'queued' | 'in_progress' | 'completed' | 'failed' | 'expired';

/** The video object exactly as the protocol spells it. */
export interface VideoObject {
  id: string;
  object: 'video';
  created_at: number;
  completed_at: number | null;
  expires_at: number | null;
  status: VideoStatus;
  progress: number;
  model: string;
  prompt: string;
  seconds: string;
  size: string;
  error: { code: string; message: string } | null;
  remixed_from_video_id: string | null;
}

export interface MakeSpec {
  op: 'create' | 'remix' | 'extend' | 'edit';
  prompt: string;
  model: string;
  seconds: number;
  size: { width: number; height: number };
  /** An input image file (create with input_reference). */
  inputReference?: string;
  /** The source clip (remix, extend, edit). */
  source?: string;
}

export interface VideoMaker {
  /** The models served, each with what it can make (reported in /v1/models). */
  models(): Promise<{ id: string; capabilities: EndpointCapabilities }[]>;
  /** Write an MP4 to `out` (and a JPEG thumbnail to `thumb`), reporting progress 0..100. */
  make(spec: MakeSpec, out: string, thumb: string, onProgress: (pct: number) => void, signal: AbortSignal): Promise<void>;
}

interface Entry {
  video: VideoObject;
  spec: MakeSpec;
  owner: string;
  file: string;
  thumb: string;
  abort: AbortController;
}

/** How long results stay downloadable (the protocol's links last about an hour). */
const KEEP_SECONDS = 3600;

export class VideoStore {
  private readonly videos = new Map<string, Entry>();
  private readonly byKey = new Map<string, string>();
  private readonly queue: string[] = [];
  private running = 0;
  /** Submissions that created a video (a retried one with a known key does not count). */
  created = 0;

  constructor(
    private readonly dir: string,
    private readonly maker: VideoMaker,
    private readonly concurrency = 1,
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }

  /** The video an earlier request with this key created (keys are per caller). */
  forKey(owner: string, key: string | null): VideoObject | null {
    if (!key) return null;
    const id = this.byKey.get(`${owner}\0${key}`);
    return id ? (this.videos.get(id)?.video ?? null) : null;
  }

  submit(owner: string, key: string | null, spec: MakeSpec, remixedFrom: string | null): VideoObject {
    const id = `video_${randomBytes(12).toString('hex')}`;
    const video: VideoObject = {
      id,
      object: 'video',
      created_at: Math.floor(Date.now() / 1000),
      completed_at: null,
      expires_at: null,
      status: 'queued',
      progress: 0,
      model: spec.model,
      prompt: spec.prompt,
      seconds: String(spec.seconds),
      size: `${spec.size.width}x${spec.size.height}`,
      error: null,
      remixed_from_video_id: remixedFrom,
    };
    this.videos.set(id, { video, spec, owner, file: path.join(this.dir, `${id}.mp4`), thumb: path.join(this.dir, `${id}.jpg`), abort: new AbortController() });
    if (key) this.byKey.set(`${owner}\0${key}`, id);
    this.created++;
    this.queue.push(id);
    const answer = { ...video }; // as it was when accepted (the job may start at once)
    this.pump();
    return answer;
  }

  get(owner: string, id: string): VideoObject | null {
    const e = this.videos.get(id);
    return e && e.owner === owner ? e.video : null;
  }

  files(owner: string, id: string): { file: string; thumb: string; video: VideoObject } | null {
    const e = this.videos.get(id);
    return e && e.owner === owner ? { file: e.file, thumb: e.thumb, video: e.video } : null;
  }

  /** Newest first by default; `after` is the id the previous page ended with. */
  list(owner: string, opts: { limit: number; after?: string; order: 'asc' | 'desc' }): { data: VideoObject[]; has_more: boolean } {
    let all = [...this.videos.values()].filter((e) => e.owner === owner).map((e) => e.video);
    if (opts.order === 'desc') all = all.reverse();
    let start = 0;
    if (opts.after) start = all.findIndex((v) => v.id === opts.after) + 1;
    const data = all.slice(start, start + opts.limit);
    return { data, has_more: start + opts.limit < all.length };
  }

  delete(owner: string, id: string): boolean {
    const e = this.videos.get(id);
    if (!e || e.owner !== owner) return false;
    e.abort.abort();
    this.videos.delete(id);
    for (const [k, v] of this.byKey) if (v === id) this.byKey.delete(k);
    fs.rmSync(e.file, { force: true });
    fs.rmSync(e.thumb, { force: true });
    return true;
  }

  /** Mark a video (test servers: to act out the protocol's end states). */
  setStatus(id: string, status: VideoStatus, error: VideoObject['error'] = null): void {
    const e = this.videos.get(id);
    if (e) Object.assign(e.video, { status, error });
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length) {
      const id = this.queue.shift()!;
      const e = this.videos.get(id);
      if (!e) continue;
      this.running++;
      void this.run(e).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(e: Entry): Promise<void> {
    e.video.status = 'in_progress';
    try {
      await this.maker.make(e.spec, e.file, e.thumb, (pct) => (e.video.progress = Math.max(0, Math.min(99, Math.round(pct)))), e.abort.signal);
      if (e.video.status !== 'in_progress') return; // deleted or marked meanwhile
      Object.assign(e.video, { status: 'completed', progress: 100, completed_at: Math.floor(Date.now() / 1000), expires_at: Math.floor(Date.now() / 1000) + KEEP_SECONDS });
    } catch (err) {
      if (e.video.status !== 'in_progress') return;
      Object.assign(e.video, { status: 'failed', error: { code: 'generation_failed', message: err instanceof Error ? err.message : String(err) } });
    }
  }

  async close(): Promise<void> {
    for (const e of this.videos.values()) e.abort.abort();
  }
}
