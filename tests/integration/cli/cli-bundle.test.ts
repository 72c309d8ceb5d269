/**
 * The CLI bundle (build/build-cli.mjs, what `npm run build` makes and bin/shotline.mjs runs when
 * fresh) does what the sources do: it is built here into a scratch folder inside the package, then
 * a sample project is exported through it and the MP4 checked with ffprobe and its content
 * credentials verified (c2pa's wasm found from the bundle), `doctor` loads onnxruntime-node's
 * native addon and finds the model pack beside the sources, and `studio` answers on loopback.
 * A bundle that inlined a native package, lost a file next to a source (import.meta.url) or
 * hoisted a package above its polyfill fails one of these.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeJson } from '../../helpers/media-fixtures.js';
import { ROOT } from '../../helpers/studio-process.js';

const outRel = path.join('.cache', `cli-bundle-test-${process.pid}`);
const out = path.join(ROOT, outRel);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-cli-bundle-'));
const env = { ...process.env, SHOTLINE_HOME: path.join(tmp, 'home'), SHOTLINE_NO_KEYCHAIN: '1' };

function bundled(...args: string[]) {
  return spawnSync(process.execPath, [path.join(out, 'main.mjs'), ...args], { encoding: 'utf8', env, timeout: 240_000 });
}

beforeAll(() => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'build/build-cli.mjs'), '--outdir', outRel], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
}, 150_000);
afterAll(() => {
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('CLI bundle', () => {
  it('lists its sources for the freshness check and keeps native and wasm packages external', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { builtAt: number; entry: string; inputs: string[] };
    expect(manifest.entry).toBe('main.mjs');
    expect(manifest.inputs).toEqual(expect.arrayContaining(['main/cli/main.ts', 'main/services/shotline.ts', 'main/export/run-export.ts', 'app/api/contract.ts', 'build/build-cli.mjs', 'package-lock.json']));
    expect(manifest.inputs.filter((f) => f.includes('node_modules'))).toEqual([]);
    for (const f of manifest.inputs) expect(fs.existsSync(path.join(ROOT, f)), f).toBe(true);
    const code = fs
      .readdirSync(out)
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => fs.readFileSync(path.join(out, f), 'utf8'))
      .join('\n');
    for (const pkg of ['better-sqlite3', 'onnxruntime-node', '@contentauth/c2pa-wasm', '@peculiar/x509']) expect(code, pkg).toMatch(new RegExp(`(from |import\\(|require\\d*\\()"${pkg.replace('/', '\\/')}"`));
    // zod is inlined (≈95 files Node would otherwise load one by one).
    expect(code).not.toMatch(/from "zod/);
  });

  it('exports a sample project to a playable, signed MP4', () => {
    const project = path.join(tmp, 'sample');
    const made = bundled('sample', project);
    expect(made.status, made.stderr).toBe(0);
    const file = path.join(tmp, 'out.mp4');
    const exp = spawnSync(process.execPath, [path.join(out, 'main.mjs'), 'export', project, '--preset', '720p-draft', '--out', file], { encoding: 'utf8', env: { ...env, SHOTLINE_CPU_REPORT: '1' }, timeout: 240_000 });
    expect(exp.status, exp.stderr).toBe(0);
    expect(exp.stderr).toMatch(/shotline-cpu \{"self":[\d.]+,"children":[\d.]+\}/);
    const verified = bundled('verify', file);
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/content credentials valid/);
    expect(verified.stdout).toMatch(/signed by: Shotline installation/);
    return ffprobeJson(file).then((p) => {
      const v = p.streams.find((s) => s.codec_type === 'video')!;
      expect(v.codec_name).toBe('h264');
      expect([v.width, v.height]).toEqual([1280, 720]);
      expect(p.streams.some((s) => s.codec_type === 'audio')).toBe(true);
      expect(Number(p.format.duration)).toBeGreaterThan(5);
    });
  }, 300_000);

  it('doctor loads onnxruntime-node and finds the model pack and the wasm core beside the sources', () => {
    const r = bundled('doctor');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\s+cpu: ok/m);
    expect(r.stdout).toMatch(/ffmpeg \(wasm fallback\): available/);
    expect(r.stdout).toContain(path.join(ROOT, 'resources', 'models'));
  }, 120_000);

  it('studio serves the API on loopback with its token', async () => {
    const token = randomBytes(24).toString('hex');
    const child = spawn(process.execPath, [path.join(out, 'main.mjs'), 'studio', '--port', '0'], { env: { ...env, SHOTLINE_STUDIO_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let text = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`studio did not start: ${text}`)), 90_000);
        const seen = (d: Buffer) => {
          text += d;
          const m = /Open: (http:\/\/127\.0\.0\.1:\d+)\//.exec(text);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        };
        child.stdout.on('data', seen);
        child.stderr.on('data', seen);
        child.on('exit', (code) => reject(new Error(`studio exited ${code}: ${text}`)));
      });
      const res = await fetch(`${url}/api/app.info`, { method: 'POST', headers: { 'x-shotline-token': token, 'content-type': 'application/json' }, body: '{}' });
      const body = (await res.json()) as { ok: boolean; value: { transport: string } };
      expect(body).toMatchObject({ ok: true, value: { transport: 'studio' } });
      const refused = await fetch(`${url}/api/app.info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(refused.ok).toBe(false);
    } finally {
      child.kill('SIGTERM');
    }
  }, 120_000);
});
