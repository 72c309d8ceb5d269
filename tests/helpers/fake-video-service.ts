/**
 * A stand-in for a paid `/v1/videos` service: Shotline's own protocol server
 * (main/serve/http-server.ts, the same code `shotline serve` runs) with a maker that renders a
 * real MP4 with ffmpeg (colour bars + a tone, so takes carry sound) after a short wait, and
 * an `intercept` hook through which tests make it misbehave.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EndpointCapabilities } from '../../app/endpoints/types.js';
import { startVideosServer, type VideosServer } from '../../main/serve/http-server.js';
import type { MakeSpec, VideoMaker } from '../../main/serve/video-store.js';
import { ffmpeg } from './media-fixtures.js';

export const FAKE_CAPS: EndpointCapabilities = {
  tasks: ['text-to-video', 'image-to-video'],
  sizes: [{ width: 320, height: 180 }, { width: 180, height: 320 }],
  durations: [1, 2],
  fps: [24],
  audio: true,
  maxTakes: 4,
  steps: null,
  guidance: null,
  deterministic: false,
  maxPromptChars: 4000,
  operations: ['remix', 'extend', 'edit'],
  imageInput: true,
};

export class FfmpegMaker implements VideoMaker {
  made: MakeSpec[] = [];
  constructor(private readonly delayMs = 300) {}
  async models() {
    return [{ id: 'fake-video-1', capabilities: FAKE_CAPS }];
  }
  async make(spec: MakeSpec, out: string, thumb: string, onProgress: (pct: number) => void, signal: AbortSignal): Promise<void> {
    this.made.push(spec);
    const n = this.made.length;
    for (let i = 1; i <= 3; i++) {
      await new Promise((r) => setTimeout(r, this.delayMs / 3));
      if (signal.aborted) throw new Error('deleted');
      onProgress(i * 25);
    }
    const { width: w, height: h } = spec.size;
    const tmp = `${out}.tmp.mp4`;
    await ffmpeg([
      '-f', 'lavfi', '-i', `testsrc2=size=${w}x${h}:rate=24:duration=${spec.seconds}`,
      // A different tone per video: every result is distinct content (media is content-addressed).
      '-f', 'lavfi', '-i', `sine=frequency=${200 + n * 37}:sample_rate=48000:duration=${spec.seconds}`,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-movflags', '+faststart', tmp,
    ]);
    await ffmpeg(['-i', tmp, '-frames:v', '1', thumb]);
    const fs = await import('node:fs');
    await fs.promises.rename(tmp, out);
  }
}

export type Intercept = (req: IncomingMessage, res: ServerResponse, route: string) => boolean | Promise<boolean>;

export async function startFakeVideoService(opts: { token?: string; delayMs?: number; concurrency?: number; port?: number } = {}): Promise<VideosServer & { maker: FfmpegMaker; intercepts: Intercept[]; token: string }> {
  const maker = new FfmpegMaker(opts.delayMs);
  const intercepts: Intercept[] = [];
  const token = opts.token ?? 'test-token-123456';
  const server = await startVideosServer({
    maker,
    token,
    concurrency: opts.concurrency ?? 4,
    ...(opts.port ? { port: opts.port } : {}),
    intercept: async (req, res, route) => {
      for (const i of [...intercepts]) if (await i(req, res, route)) return true;
      return false;
    },
  });
  return Object.assign(server, { maker, intercepts, token });
}

/** Let the real handler run, then cut the connection instead of answering (the server accepted the job). */
export function dropAfterHandling(res: ServerResponse): void {
  res.writeHead = (() => res) as unknown as ServerResponse['writeHead'];
  res.end = (() => {
    res.socket?.destroy();
    return res;
  }) as unknown as ServerResponse['end'];
}
