/**
 * Streaming a finished remote video to disk: never buffered whole (a 200 MB result costs a
 * chunk of memory, not 200 MB), resumed with `Range` when the connection is cut, and checked
 * with ffprobe (including a decode of the tail) before anyone calls it a take.
 */
import fs from 'node:fs';
import { ShotlineError } from '../../../app/errors.js';
import type { FfmpegEngine } from '../../media/engine.js';
import { probeMedia, type ProbeResult } from '../../media/probe.js';

export interface DownloadSource {
  /** GET the content from byte `from` (0: all of it). */
  fetch(from: number, signal?: AbortSignal): Promise<Response>;
}

const MAX_ATTEMPTS = 6;

/** Total length from Content-Range ("bytes 100-199/200") or Content-Length; null when unknown. */
function totalLength(res: Response, from: number): number | null {
  const cr = res.headers.get('content-range');
  const m = cr ? /\/(\d+)\s*$/.exec(cr) : null;
  if (m) return Number(m[1]);
  const cl = Number(res.headers.get('content-length'));
  return Number.isFinite(cl) && cl > 0 ? (res.status === 206 ? from + cl : cl) : null;
}

/**
 * Download to `file` (appending to what a cut attempt left), retrying a cut connection from
 * where it stopped. Resolves with the byte count once the server's stated length is reached.
 */
export async function downloadResumable(src: DownloadSource, file: string, opts: { signal?: AbortSignal; onBytes?: (got: number, total: number | null) => void; what: string }): Promise<number> {
  let lastError: unknown = null;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (opts.signal?.aborted) throw new ShotlineError('canceled', 'Generation canceled.');
    const have = fs.existsSync(file) ? fs.statSync(file).size : 0;
    let res: Response;
    try {
      res = await src.fetch(have, opts.signal);
    } catch (e) {
      if (opts.signal?.aborted) throw new ShotlineError('canceled', 'Generation canceled.');
      lastError = e;
      if (e instanceof ShotlineError || (e as { status?: number }).status) throw e; // a status answer (404, 401) will not change
      await sleep(Math.min(500 * 2 ** attempt, 5000));
      continue;
    }
    // 206: the rest, appended. 200: the server ignored Range; start over.
    const append = res.status === 206 && have > 0;
    const total = totalLength(res, append ? have : 0);
    if (!res.body) throw new ShotlineError('internal', `${opts.what}: the server sent no body.`);
    let got = append ? have : 0;
    // Chunk by chunk straight into the file (no stream pipeline to set up per download: on
    // small results that set-up cost more than the bytes). Never more than a chunk in memory.
    const fh = await fs.promises.open(file, append ? 'a' : 'w');
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        if (opts.signal?.aborted) throw new ShotlineError('canceled', 'Generation canceled.');
        await fh.write(chunk);
        got += chunk.length;
        opts.onBytes?.(got, total);
      }
    } catch (e) {
      if (opts.signal?.aborted) throw new ShotlineError('canceled', 'Generation canceled.');
      lastError = e; // cut mid-way: what arrived stays on disk and the next attempt asks for the rest
      await fh.close().catch(() => {});
      await sleep(Math.min(250 * 2 ** attempt, 4000));
      continue;
    } finally {
      await fh.close().catch(() => {});
    }
    const size = fs.statSync(file).size;
    if (total !== null && size < total) {
      lastError = new Error(`only ${size} of ${total} bytes arrived`);
      continue;
    }
    return size;
  }
  const why = lastError instanceof Error ? lastError.message : String(lastError);
  throw new ShotlineError('unsupported', `${opts.what} could not be downloaded after ${MAX_ATTEMPTS} tries (${why}).`, 'The take stays on the server; retry the job to download it again (nothing is generated twice).');
}

/** The file is a video ffprobe can read to its end (what it found is returned); anything else is refused with the reason. */
export async function verifyVideo(engine: FfmpegEngine, file: string, what: string, signal?: AbortSignal): Promise<ProbeResult> {
  let probed: ProbeResult;
  try {
    probed = await probeMedia(file, engine, { signal });
  } catch (e) {
    const why = e instanceof ShotlineError ? e.message : String(e);
    throw new ShotlineError('media_unreadable', `${what} arrived damaged: ${why}`, 'Retry the take: the download is fetched again, not generated again.');
  }
  if (probed.kind !== 'video') throw new ShotlineError('media_unreadable', `${what} is not a video (ffprobe reads it as ${probed.kind}).`);
  return probed;
}

/** Rename, or copy + remove across filesystems (a job folder in the project, a scratch file in /tmp). */
export async function moveFile(from: string, to: string): Promise<void> {
  try {
    await fs.promises.rename(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await fs.promises.copyFile(from, to);
    await fs.promises.rm(from, { force: true });
  }
}

const IMAGE_MAGIC: [string, (b: Buffer) => boolean][] = [
  ['jpg', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['png', (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ['webp', (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP'],
];
const MAX_POSTER_BYTES = 8 * 1024 * 1024;

/**
 * The server's still for a video (`variant=thumbnail`), saved as `<stem>.<jpg|png|webp>` when
 * it is one of those images; null when the server has none or sends something else (a
 * poster is a nicety: its absence never fails a take).
 */
export async function downloadPoster(get: (signal?: AbortSignal) => Promise<Response>, stem: string, signal?: AbortSignal): Promise<string | null> {
  try {
    const res = await get(signal);
    const len = Number(res.headers.get('content-length') ?? 0);
    if (!res.ok || len > MAX_POSTER_BYTES) return null;
    const buf = Buffer.from(await res.arrayBuffer());
    const kind = IMAGE_MAGIC.find(([, is]) => is(buf))?.[0];
    if (!kind || buf.length > MAX_POSTER_BYTES) return null;
    const file = `${stem}.${kind}`;
    await fs.promises.writeFile(file, buf);
    return file;
  } catch {
    return null;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
