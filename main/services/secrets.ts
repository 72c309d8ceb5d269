/**
 * Secrets (remote API keys) never reach the renderer or the database in plain text.
 * The Electron shell registers an OS-keychain-backed store (safeStorage); headless hosts
 * read them from the environment. Backends ask for a secret by name through this seam.
 */
export interface SecretStore {
  get(name: string): string | null;
  set(name: string, value: string): void;
  delete(name: string): void;
}

let active: SecretStore = {
  // Without a keychain, secrets come from the environment (SHOTLINE_SECRET_<NAME>) and are never persisted.
  get: (name) => process.env[`SHOTLINE_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] ?? null,
  set: () => {
    throw new Error('No secure secret storage on this host: set the SHOTLINE_SECRET_<NAME> environment variable instead.');
  },
  delete: () => {},
};

export function setSecretStore(store: SecretStore): void {
  active = store;
}

export function secrets(): SecretStore {
  return active;
}
