/** Electron host: the preload's contextBridge proxy. Files have real paths here. */
import { ShotlineError } from '@app/errors';
import type { HostTransport, ShotlinePreload } from './types';

export function electronTransport(bridge: ShotlinePreload): HostTransport {
  return {
    kind: 'electron',
    call: (method, input) => bridge.call(method, input ?? {}),
    subscribe: (listener) => bridge.subscribe(listener),
    mediaUrl: (rel) => bridge.mediaUrl(rel),
    async prepareImport(files) {
      return files.map((file) => {
        const path = bridge.pathForFile?.(file) || (file as File & { path?: string }).path;
        if (!path) throw new ShotlineError('unsupported', `Cannot read "${file.name}" from here.`, 'Drop files from your file manager.');
        return { path };
      });
    },
    ...(bridge.pick
      ? {
          pickDirectory: async () => (await bridge.pick!('directory'))[0] ?? null,
        }
      : {}),
    onStatus(listener) {
      listener('online');
      return () => {};
    },
  };
}
