/**
 * The Electron shell's security decisions as plain data and functions (no `electron` import),
 * so tests can check them without an Electron binary; main.ts only wires them in.
 */
import { ShotlineError } from '../../app/errors.js';

export const MEDIA_SCHEME = 'shotline-media';

/**
 * The app window's Content-Security-Policy: our own files only, no inline script, no remote
 * origin anywhere; project media through our protocol; wasm (ffmpeg, onnx) may compile.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' data: blob: ${MEDIA_SCHEME}:`,
  `media-src 'self' blob: ${MEDIA_SCHEME}:`,
  `connect-src 'self' ${MEDIA_SCHEME}:`,
  "worker-src 'self' blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** No web permission (camera, notifications, clipboard read, …) is ever granted or reported granted. */
export function permissionAllowed(_permission: string): boolean {
  return false;
}

/** DevTools only in development builds: a packaged app gives no console to whoever sits at it. */
export function devToolsAllowed(isPackaged: boolean): boolean {
  return !isPackaged;
}

/**
 * On Linux without a keyring, safeStorage falls back to `basic_text`: "encrypted" with a
 * hard-coded password, i.e. readable by anyone with the file. Refuse to store a secret then.
 */
export function safeStorageRefusal(platform: string, backend: string | null): ShotlineError | null {
  if (platform !== 'linux' || backend !== 'basic_text') return null;
  return new ShotlineError(
    'unsupported',
    'No desktop keyring is available (Electron would store the key as plain text), so the key was not saved.',
    'Install and unlock a keyring (GNOME Keyring or KWallet), or start Shotline with --password-store=gnome-libsecret, then add the key again.',
  );
}
