/** Helpers for benchmarks that run Shotline as a user does: as a separate `shotline` process. */
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';

export const CLI = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'bin', 'shotline.mjs');

/** Runs a command to completion; resolves with its stderr's tail, rejects with it on a non-zero exit. */
export function runProcess(bin: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let tail = '';
    child.stderr.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(tail) : reject(new Error(`${path.basename(bin)} ${args[0] ?? ''} exited ${code}: ${tail}`))));
  });
}

/** Average PSNR (Y, U, V) between two videos' pictures, frame by frame. */
export function psnrBetween(ffmpeg: string, a: string, b: string): Promise<number> {
  return new Promise((resolve, reject) =>
    execFile(ffmpeg, ['-hide_banner', '-nostdin', '-i', a, '-i', b, '-lavfi', '[0:v][1:v]psnr', '-f', 'null', '-'], { maxBuffer: 16 << 20 }, (e, _out, err) => {
      if (e) return reject(e);
      const m = /PSNR .*average:(inf|[0-9.]+)/.exec(String(err));
      if (!m) return reject(new Error(`no PSNR in: ${String(err).slice(-400)}`));
      resolve(m[1] === 'inf' ? Infinity : Number(m[1]));
    }),
  );
}

/** Frames in the first video stream, as ffprobe counts them from the container. */
export function countFrames(file: string): Promise<number> {
  return new Promise((resolve, reject) =>
    execFile('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=nb_frames', '-of', 'csv=p=0', file], (e, out) => (e ? reject(e) : resolve(Number(String(out).trim())))),
  );
}

/** The `shotline-cpu` line a CLI run with SHOTLINE_CPU_REPORT=1 prints: its own CPU seconds and its children's. */
export function parseCpuReport(stderr: string): { self: number; children: number } | null {
  const m = /shotline-cpu (\{.*\})/.exec(stderr);
  if (!m) return null;
  const r = JSON.parse(m[1]!) as { self: number; children: number | null };
  return r.children === null ? null : { self: r.self, children: r.children };
}
