/**
 * Secrets (remote API keys) never reach the renderer, a log, provenance or the database in
 * plain text. Backends ask for a secret by name through this seam:
 * - the Electron shell registers a store backed by the OS keychain through safeStorage
 *   (main/electron/secrets.ts: only ciphertext is kept);
 * - the CLI and studio mode use the OS keychain through @napi-rs/keyring (keyring.ts);
 * - where no keychain exists (a headless server), keys come from environment variables
 *   (see EndpointService: SHOTLINE_ENDPOINT_KEY_<NAME>) and are never persisted.
 */
import { KeyringSecretStore } from './keyring.js';
import type { SecretStore } from './types.js';

export type { SecretStore };

let active: SecretStore = new KeyringSecretStore();

export function setSecretStore(store: SecretStore): void {
  active = store;
}

export function secrets(): SecretStore {
  return active;
}
