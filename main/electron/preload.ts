/**
 * The preload: the only bridge between the sandboxed renderer and main. It exposes the
 * transport the renderer expects (call / subscribe / mediaUrl) and nothing else.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';

contextBridge.exposeInMainWorld('shotline', {
  platform: 'electron',
  call: (method: string, input: unknown) => ipcRenderer.invoke('shotline:call', method, input),
  subscribe: (listener: (event: unknown) => void) => {
    const handler = (_e: unknown, ev: unknown) => listener(ev);
    ipcRenderer.on('shotline:event', handler);
    return () => ipcRenderer.removeListener('shotline:event', handler);
  },
  mediaUrl: (rel: string) => `shotline-media://project/${rel.split('/').map(encodeURIComponent).join('/')}`,
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  pick: (kind: 'files' | 'directory') => ipcRenderer.invoke('shotline:pick', kind) as Promise<string[]>,
});
