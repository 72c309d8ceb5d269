/** Display formatting: sizes, durations, ETAs. */
import { FLICKS_PER_SECOND, type Flicks } from '@app/time/flicks';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** "4.0s", "1:05", "1:02:03": compact, for badges. */
export function formatDuration(f: Flicks): string {
  const s = f / FLICKS_PER_SECOND;
  if (s < 60) return `${s.toFixed(1)}s`;
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor(total / 60) % 60;
  const sec = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s left`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s left`;
  return `${Math.floor(m / 60)}h ${m % 60}m left`;
}

export function formatPercent(fraction: number): string {
  return `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`;
}

/**
 * A job's message without a stage percentage ("Encoding 4%" → "Encoding"): the UI shows one
 * figure per job, the job's overall progress, and a stage's own percentage beside it read as
 * a second, different number.
 */
export function jobMessageText(message: string): string {
  return message.replace(/\s*\(?\d+(?:[.,]\d+)?\s*%\)?\s*$/, '').trim();
}

/** Seconds as the duration field shows them: up to 3 decimals, no trailing zeros. */
export function secondsText(f: Flicks): string {
  return String(Math.round((f / FLICKS_PER_SECOND) * 1000) / 1000);
}

/** Join a folder and a name with the separator the folder already uses. */
export function joinPath(dir: string, ...parts: string[]): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return [dir.replace(/[\\/]+$/, ''), ...parts].join(sep);
}

/** Parent folder of a path, or null at a root. */
export function parentPath(p: string): string | null {
  const trimmed = p.replace(/[\\/]+$/, '');
  const i = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  if (i < 0) return null;
  if (i === 0) return trimmed.length > 1 ? '/' : null;
  const parent = trimmed.slice(0, i);
  return /^[A-Za-z]:$/.test(parent) ? `${parent}\\` : parent;
}

/** A file-system-safe version of a project name for default file names. */
export function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|\x00-\x1f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120) || 'export';
}
