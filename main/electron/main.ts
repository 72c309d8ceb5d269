/**
 * The Electron shell: a thin adapter over the same services studio mode uses.
 * Window with sandbox + context isolation, one IPC channel validated by the shared
 * dispatcher, a media protocol that serves only the open project's media/, no navigation,
 * no new windows, no permissions. (Cannot run where the Electron binary is unavailable;
 * `npm run studio` serves the same UI to a browser.)
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell, type WebContents } from 'electron';
import { pathToFileURL } from 'node:url';
import { createDispatcher } from '../bridge/dispatch.js';
import { resolveMediaFile, safeDecode } from '../bridge/media-path.js';
import { ShotlineServices } from '../services/shotline.js';
import { registerSecretStore } from './secrets.js';
import { APP_CSP, devToolsAllowed, MEDIA_SCHEME, permissionAllowed } from './policy.js';

protocol.registerSchemesAsPrivileged([{ scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } }]);

const rendererIndex = path.join(__dirname, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;

function fromOurRenderer(wc: WebContents, frameUrl: string | undefined): boolean {
  // Only our own page may call main; a navigated or injected frame may not.
  return !wc.isDestroyed() && !!frameUrl && frameUrl.split('#')[0] === rendererUrl;
}

async function start(): Promise<void> {
  // Packaged: models, ComfyUI workflows and a bundled ffmpeg are extraResources, outside the asar.
  if (app.isPackaged) process.env.SHOTLINE_RESOURCES_DIR = process.resourcesPath;
  await app.whenReady();
  const services = await ShotlineServices.create({ transport: 'electron', userDataDir: app.getPath('userData') });
  registerSecretStore(services.library);
  const dispatch = createDispatcher(services.handlers, (m) => console.error(m));

  protocol.handle(MEDIA_SCHEME, (req) => {
    const dir = services.openProjectDir;
    const rel = safeDecode(new URL(req.url).pathname.replace(/^\/+/, ''));
    if (rel === null) return new Response('Bad request', { status: 400 });
    // Real path inside the project's media/ only: a symlink out of it is refused (media-path.ts).
    const file = dir ? resolveMediaFile(dir, rel) : null;
    if (!file) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(file).href, { headers: req.headers });
  });

  session.defaultSession.setPermissionRequestHandler((_wc, perm, cb) => cb(permissionAllowed(perm)));
  // The check handler answers synchronous queries (navigator.permissions, some APIs) the same way.
  session.defaultSession.setPermissionCheckHandler((_wc, perm) => permissionAllowed(perm));
  // Every response our window loads carries the strict CSP (policy.ts).
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  ipcMain.handle('shotline:call', async (event, method: unknown, input: unknown) => {
    if (!fromOurRenderer(event.sender, event.senderFrame?.url)) return { ok: false, error: { code: 'unauthorized', message: 'Call from an unknown frame.' } };
    if (typeof method !== 'string') return { ok: false, error: { code: 'invalid_input', message: 'Method must be a string.' } };
    return dispatch(method, input);
  });
  ipcMain.handle('shotline:pick', async (event, kind: unknown) => {
    if (!fromOurRenderer(event.sender, event.senderFrame?.url)) return [];
    const props: ('openFile' | 'openDirectory' | 'multiSelections' | 'createDirectory')[] =
      kind === 'directory' ? ['openDirectory', 'createDirectory'] : ['openFile', 'multiSelections'];
    const r = await dialog.showOpenDialog({ properties: props });
    return r.canceled ? [] : r.filePaths;
  });

  const win = new BrowserWindow({
    width: 1600,
    height: 1000,
    backgroundColor: '#111318',
    title: 'Shotline',
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      devTools: devToolsAllowed(app.isPackaged),
    },
  });
  const unsubscribe = services.subscribe((e) => {
    if (!win.isDestroyed()) win.webContents.send('shotline:event', e);
  });
  win.on('closed', unsubscribe);
  await win.loadFile(rendererIndex);

  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => void services.shutdown());
}

start().catch((e) => {
  console.error(e);
  app.exit(1);
});
