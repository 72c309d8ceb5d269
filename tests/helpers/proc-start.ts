/** Test side: a process's start time, read from /proc on its own (what a recycled pid gets wrong). */
import fs from 'node:fs';

export function startOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Field 22; the command name (field 2) may contain spaces, so count from the last ')'.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}
