/**
 * Whether a process with this id is running (this one always is). Used to tell files and
 * folders left by a killed Shotline (partials, scratch folders, half-created projects) from
 * those of one still running.
 */
export function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
