/**
 * The Electron shell's security settings, checked without an Electron binary: the packaging
 * config's fuses, the window's CSP, permissions, DevTools and the Linux plain-text keyring.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_CSP, devToolsAllowed, permissionAllowed, safeStorageRefusal } from '../../../main/electron/policy.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
}

/** The `electronFuses:` block of the YAML config (flat `key: true|false` lines), without a YAML dependency. */
function fuses(text: string): Record<string, boolean> {
  const block = /^electronFuses:\n((?:[ \t]+.*\n?)*)/m.exec(text)?.[1] ?? '';
  const out: Record<string, boolean> = {};
  for (const m of block.matchAll(/^\s+(\w+):\s*(true|false)\s*$/gm)) out[m[1]!] = m[2] === 'true';
  return out;
}

describe('electron policy', () => {
  it('packaging flips the fuses: no run-as-node, no --inspect, app only from asar, cookie encryption', () => {
    expect(fuses(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8'))).toMatchObject({
      runAsNode: false,
      enableNodeCliInspectArguments: false,
      enableNodeOptionsEnvironmentVariable: false,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
  });

  it('the CSP allows no inline or remote script and no remote origin anywhere', () => {
    const d = directives(APP_CSP);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).not.toContain("'unsafe-inline'");
    expect(d.get('script-src')).not.toContain("'unsafe-eval'");
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    for (const [name, sources] of d) {
      for (const s of sources) expect(s, `${name} ${s}`).not.toMatch(/^(https?:|wss?:|\*|[\w.-]+\.[a-z]{2,})/);
    }
  });

  it('grants no permission, and DevTools only outside packaged builds', () => {
    for (const p of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal', 'fullscreen']) expect(permissionAllowed(p)).toBe(false);
    expect(devToolsAllowed(true)).toBe(false);
    expect(devToolsAllowed(false)).toBe(true);
  });

  it('refuses to store secrets through the plain-text Linux backend, saying how to fix it', () => {
    const e = safeStorageRefusal('linux', 'basic_text');
    expect(e?.code).toBe('unsupported');
    expect(e?.message).toMatch(/plain text/);
    expect(e?.hint).toMatch(/--password-store=gnome-libsecret/);
    expect(safeStorageRefusal('linux', 'gnome_libsecret')).toBeNull();
    expect(safeStorageRefusal('darwin', null)).toBeNull();
  });

  it('main.ts wires the check handler, the CSP and DevTools from this policy', () => {
    const src = fs.readFileSync(path.join(ROOT, 'main/electron/main.ts'), 'utf8');
    expect(src).toMatch(/setPermissionCheckHandler\(\(_wc, perm\) => permissionAllowed\(perm\)\)/);
    expect(src).toMatch(/setPermissionRequestHandler\(\(_wc, perm, cb\) => cb\(permissionAllowed\(perm\)\)\)/);
    expect(src).toMatch(/'Content-Security-Policy': \[APP_CSP\]/);
    expect(src).toMatch(/devTools: devToolsAllowed\(app\.isPackaged\)/);
    expect(fs.readFileSync(path.join(ROOT, 'main/electron/secrets.ts'), 'utf8')).toMatch(/safeStorageRefusal\(process\.platform/);
  });
});
