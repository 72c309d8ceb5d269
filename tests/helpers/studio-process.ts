/** Starts a real `shotline studio` child process on loopback and talks to it over HTTP. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { CallOutcome } from '../../app/api/client.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface StudioProcess {
  child: ChildProcess;
  url: string;
  token: string;
  call(method: string, input?: unknown): Promise<CallOutcome>;
  /** call() that throws unless ok, returning the value. */
  ok<T = unknown>(method: string, input?: unknown): Promise<T>;
  stop(): Promise<void>;
  output(): string;
}

export async function startStudio(opts: { project?: string; home: string; env?: Record<string, string> }): Promise<StudioProcess> {
  const token = randomBytes(16).toString('hex');
  const args = [path.join(ROOT, 'bin/shotline.mjs'), 'studio', '--port', '0'];
  if (opts.project) args.push('--project', opts.project);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, SHOTLINE_HOME: opts.home, SHOTLINE_STUDIO_TOKEN: token, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`studio did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', () => {
      const m = /Open: (http:\/\/[^/\s]+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`studio exited (${code}):\n${out}`));
    });
  });
  const call = async (method: string, input: unknown = {}): Promise<CallOutcome> => {
    const res = await fetch(`${url}/api/${method}`, { method: 'POST', headers: { 'x-shotline-token': token, 'content-type': 'application/json' }, body: JSON.stringify(input) });
    return (await res.json()) as CallOutcome;
  };
  return {
    child,
    url,
    token,
    call,
    async ok<T>(method: string, input?: unknown) {
      const r = await call(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value as T;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await done;
    },
    output: () => out,
  };
}
