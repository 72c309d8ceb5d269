/**
 * Whether the process that left a file or folder (partials, scratch folders, half-created
 * projects, incoming cameo files) is still running. Pids are reused — in containers the app
 * often runs as the same low pid every time — so a bare pid that reads as alive may be a
 * stranger. Names therefore carry an owner tag, `<pid>s<start time>` where Linux tells the start
 * time (field 22 of /proc/<pid>/stat, clock ticks since boot), and a live pid whose start time
 * differs is a recycled one: its files are stale. A bare `<pid>` (older names, other systems)
 * keeps the pid-only answer.
 */
import fs from 'node:fs';

/** Start time of a process in clock ticks since boot; null where /proc does not say. */
export function processStartTime(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]); // field 22; fields[0] is field 3
    return Number.isSafeInteger(start) ? start : null;
  } catch {
    return null;
  }
}

const ownStart = processStartTime(process.pid);

/** Regex source of an owner tag (one capture group); see ownerAlive. */
export const OWNER_TAG = '(\\d+(?:s\\d+)?)';

/** This process as it goes into a file name: `<pid>s<start>`, or `<pid>` where the start time is unknown. */
export function ownerTag(): string {
  return ownStart === null ? String(process.pid) : `${process.pid}s${ownStart}`;
}

export function parseOwnerTag(tag: string): { pid: number; startTime?: number } {
  const [pid, start] = tag.split('s');
  return start === undefined ? { pid: Number(pid) } : { pid: Number(pid), startTime: Number(start) };
}

/** Whether the process named by an owner tag (see ownerTag) is still running. */
export function ownerAlive(tag: string): boolean {
  const { pid, startTime } = parseOwnerTag(tag);
  return pidAlive(pid, startTime);
}

/**
 * Whether a process with this id is running (this one always is). With `startTime`, only if
 * it is still the process that started then; where the start time cannot be read, the pid alone.
 */
export function pidAlive(pid: number, startTime?: number): boolean {
  if (pid === process.pid) return startTime === undefined || ownStart === null || startTime === ownStart;
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (startTime === undefined) return true;
  const now = processStartTime(pid);
  return now === null || now === startTime;
}
