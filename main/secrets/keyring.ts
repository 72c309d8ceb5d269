/**
 * Secrets in the OS keychain through @napi-rs/keyring (macOS Keychain, Windows Credential
 * Manager, the Secret Service on Linux desktops). On a headless box without a Secret Service
 * the binding answers "Couldn't access platform storage": reading then finds nothing and
 * storing fails with a ShotlineError that says so; the caller adds how to use the
 * environment-variable fallback instead.
 */
import { createRequire } from 'node:module';
import { ShotlineError } from '../../app/errors.js';
import type { SecretStore } from './types.js';

const SERVICE = 'Shotline';

interface KeyringEntry {
  getPassword(): string | null;
  setPassword(v: string): void;
  deletePassword(): boolean;
}
type EntryCtor = new (service: string, account: string) => KeyringEntry;

let ctor: EntryCtor | null | undefined;
function entryClass(): EntryCtor | null {
  if (ctor === undefined) {
    try {
      ctor = (createRequire(import.meta.url)('@napi-rs/keyring') as { Entry: EntryCtor }).Entry;
    } catch {
      ctor = null; // no prebuilt binding for this platform
    }
  }
  return ctor;
}

export class KeyringSecretStore implements SecretStore {
  readonly label = 'the OS keychain';

  private entry(name: string): KeyringEntry {
    const Entry = entryClass();
    if (!Entry) throw new ShotlineError('unsupported', 'The OS keychain binding (@napi-rs/keyring) is not available on this platform.');
    return new Entry(SERVICE, name);
  }

  get(name: string): string | null {
    try {
      return this.entry(name).getPassword();
    } catch {
      return null; // no keychain: the caller falls back to the environment
    }
  }

  set(name: string, value: string): void {
    try {
      this.entry(name).setPassword(value);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new ShotlineError('unsupported', `This computer's keychain could not store the key (${why}). Nothing was saved.`);
    }
  }

  delete(name: string): void {
    try {
      this.entry(name).deletePassword();
    } catch {
      // Nothing stored, or no keychain: nothing to delete.
    }
  }
}
