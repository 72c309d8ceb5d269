/**
 * ffmpeg and ffprobe children that die with Shotline.
 *
 * Node cannot set PR_SET_PDEATHSIG, so a SIGKILLed Shotline used to leave its ffmpeg running
 * (writing beside a resumed export for tens of seconds). Every child is therefore started
 * through a tiny `/bin/sh` prologue that
 *   1. runs in its own session and process group (`detached`), so cancel, the stall watchdog
 *      and timeouts kill the whole group, and a terminal's Ctrl-C reaches only Shotline;
 *   2. forks a watcher that blocks reading a pipe from Shotline (nothing is ever written to
 *      it). The kernel closes that pipe when Shotline dies however it dies, SIGKILL included;
 *      the watcher's read then returns and it SIGKILLs its process group, ffmpeg included;
 *   3. `exec`s the program, so the child's pid, exit code and signal are ffmpeg's own.
 * Why a pipe and not polling the parent pid: it costs no CPU while waiting, reacts at once,
 * and has no window (if Shotline died before the watcher started, its read returns at once).
 * Cost: one `sh` exec and one sleeping `sh` per run (measured in docs/hardening.md).
 * When the run ends normally Shotline closes the pipe and the watcher kills only itself
 * (the group holds nobody else by then). Windows has no process groups of this kind: children
 * are spawned plainly there.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** $0 of the prologue: how it shows in `ps` and in sh's own error lines. */
export const SUPERVISOR_NAME = 'shotline-supervised';

// fd 3 keeps the pipe for the watcher; the watcher's other fds are /dev/null so it never
// holds ffmpeg's stdout/stderr open (Node's 'close' waits for those), and ffmpeg gets
// /dev/null as stdin and no fd 3.
const PROLOGUE = 'exec 3<&0; { read -r _ <&3; kill -KILL 0; } </dev/null >/dev/null 2>&1 & exec "$@" 3<&- </dev/null';

const supervised = process.platform !== 'win32';

export interface SupervisedChild {
  child: ChildProcessByStdio<Writable | null, Readable, Readable>;
  /** Signal the whole process group (ffmpeg and its watcher); a no-op once the program has exited. */
  kill(signal: NodeJS.Signals): void;
}

/** Whether `bin` names an executable file (directly, or found on PATH): sh's exec would fail later and less clearly. */
function findExecutable(bin: string): string | null {
  const candidates = bin.includes('/') || bin.includes(path.sep) ? [bin] : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, bin));
  for (const c of candidates) {
    try {
      if (fs.statSync(c).isFile()) {
        fs.accessSync(c, fs.constants.X_OK);
        return c;
      }
    } catch {
      /* next */
    }
  }
  return null;
}

/** A spawn error the caller handles like Node's own (ENOENT / EACCES). */
function notExecutable(bin: string): NodeJS.ErrnoException {
  let code = 'ENOENT';
  try {
    if (fs.statSync(bin).isFile()) code = 'EACCES';
  } catch {
    /* missing */
  }
  const err: NodeJS.ErrnoException = new Error(`spawn ${bin} ${code}`);
  err.code = code;
  err.path = bin;
  return err;
}

/**
 * Starts `bin args` in its own process group, tied to this process's life. stdout and stderr
 * are pipes; stdin is /dev/null for the program. Throws ENOENT/EACCES like `spawn` would
 * emit them, before anything starts.
 */
export function spawnSupervised(bin: string, args: readonly string[]): SupervisedChild {
  if (!supervised) {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    return { child, kill: (sig) => void child.kill(sig) };
  }
  const exe = findExecutable(bin);
  if (!exe) throw notExecutable(bin);
  const child = spawn('/bin/sh', ['-c', PROLOGUE, SUPERVISOR_NAME, exe, ...args], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  // The pipe is only ever closed: by us when the program has exited, by the kernel if we die.
  child.stdin.on('error', () => {});
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  child.once('exit', () => child.stdin.end());
  return {
    child,
    kill(sig) {
      // Only while the leader is unreaped or its group still exists: a pgid is never reused meanwhile.
      if (exited() || child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        child.kill(sig);
      }
    },
  };
}

export interface ExecResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Killed because it ran past `timeoutMs` or wrote more than `maxBuffer`. */
  killed: 'timeout' | 'maxBuffer' | null;
}

/** execFile for short runs (ffprobe, `-version`, `-filters`), supervised the same way. */
export function execSupervised(bin: string, args: readonly string[], opts: { timeoutMs: number; maxBuffer: number; signal?: AbortSignal }): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    let run: SupervisedChild;
    try {
      run = spawnSupervised(bin, args);
    } catch (e) {
      return reject(e as Error);
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let killed: ExecResult['killed'] = null;
    const stop = (why: ExecResult['killed']) => {
      killed ??= why;
      run.kill('SIGKILL');
    };
    const collect = (into: Buffer[]) => (d: Buffer) => {
      size += d.length;
      if (size > opts.maxBuffer) return stop('maxBuffer');
      into.push(d);
    };
    run.child.stdout.on('data', collect(out));
    run.child.stderr.on('data', collect(err));
    const timer = setTimeout(() => stop('timeout'), opts.timeoutMs);
    const onAbort = () => run.kill('SIGKILL');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();
    run.child.on('error', (e) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
    run.child.on('close', (code, signal) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), killed });
    });
  });
}
