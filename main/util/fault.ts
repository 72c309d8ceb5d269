/**
 * Fault injection for the crash tests: `SHOTLINE_FAULT_KILL=<point>` makes the process
 * SIGKILL itself when it reaches that point, so a test can stop it inside a window a few
 * microseconds wide (between an export's final rename and its job being marked done)
 * deterministically instead of by luck. Without the variable this is a no-op.
 */
export function faultPoint(name: string): void {
  if (process.env.SHOTLINE_FAULT_KILL === name) process.kill(process.pid, 'SIGKILL');
}
