/**
 * Secrets (remote API keys) never reach the renderer, a log, provenance or the database in
 * plain text. Backends ask for a secret by name through this seam:
 * - the Electron shell registers a store backed by the OS keychain through safeStorage
 *   (main/electron/secrets.ts: only ciphertext is kept);
 * - the CLI and studio mode use the OS keychain through @napi-rs/keyring (keyring-secrets.ts);
 * - where no keychain exists (a headless server), keys come from environment variables
 *   (see EndpointService: SHOTLINE_ENDPOINT_KEY_<NAME>) and are never persisted.
 */
import { KeyringSecretStore } from './keyring-secrets.js';

export interface SecretStore {
  /** Where secrets go, for messages ("the OS keychain"). */
  readonly label: string;
  /** The secret, or null when none is stored or the store cannot be read. */
  get(name: string): string | null;
  /** Store it; throws a ShotlineError saying why when the store is unavailable. */
  set(name: string, value: string): void;
  delete(name: string): void;
}

let active: SecretStore = new KeyringSecretStore();

export function setSecretStore(store: SecretStore): void {
  active = store;
}

export function secrets(): SecretStore {
  return active;
}
