/** The seam backends ask secrets through (see store.ts for which store is active where). */
export interface SecretStore {
  /** Where secrets go, for messages ("the OS keychain"). */
  readonly label: string;
  /** The secret, or null when none is stored or the store cannot be read. */
  get(name: string): string | null;
  /** Store it; throws a ShotlineError saying why when the store is unavailable. */
  set(name: string, value: string): void;
  delete(name: string): void;
}
