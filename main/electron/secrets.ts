/** Secrets encrypted with the OS keychain (Electron safeStorage); only ciphertext is stored. */
import { safeStorage } from 'electron';
import { ShotlineError } from '../../app/errors.js';
import type { LibraryStore } from '../store/library-store.js';
import { setSecretStore } from '../secrets/store.js';
import { safeStorageRefusal } from './policy.js';

export function registerSecretStore(library: LibraryStore): void {
  setSecretStore({
    label: 'the OS keychain (Electron safeStorage)',
    get(name) {
      const b64 = library.sealedSecret(name);
      return b64 && safeStorage.isEncryptionAvailable() ? safeStorage.decryptString(Buffer.from(b64, 'base64')) : null;
    },
    set(name, value) {
      if (!safeStorage.isEncryptionAvailable()) throw new ShotlineError('unsupported', 'The OS keychain is not available, so the key was not saved.');
      const refusal = safeStorageRefusal(process.platform, process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null);
      if (refusal) throw refusal;
      library.putSealedSecret(name, safeStorage.encryptString(value).toString('base64'));
    },
    delete(name) {
      library.deleteSealedSecret(name);
    },
  });
}
