/**
 * The main-process services behind the API: one object, one implementation per method in
 * app/api/contract.ts. Transports (Electron IPC, studio HTTP, in-process) only validate,
 * dispatch here and forward events.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApiEvent, AppInfo, DirListing, MethodName, MethodParsed, MethodResult, ProjectSnapshot } from '../../app/api/contract.js';
import { ShotlineError } from '../../app/errors.js';
import { EXPORT_PRESETS, findPreset } from '../../app/export/presets.js';
import type { ProjectSettings } from '../../app/model/types.js';
import type { FfmpegEngine } from '../media/engine.js';
import { selectEngine } from '../media/select-engine.js';
import { FFMPEG_FACTS_FILE } from '../media/binary-facts.js';
import { SwappableEngine } from '../media/swappable-engine.js';
import { PreferencesService } from './preferences.js';
import { LibraryStore, defaultUserDataDir } from '../store/library-store.js';
import { PROJECT_FILE, ProjectStore } from '../store/project-store.js';
import { createJobHandlers, type ExportPayload, type LoudnessPayload } from './job-handlers.js';
import { compileRenderPlan } from '../../app/render/plan.js';
import { createVoiceHandler, queueVoicing, type CameoVoiceGate } from '../speech/voice-job.js';
import { checkOverwriteConfirmed } from '../export/overwrite-guard.js';
import { cleanStaleScratch } from '../util/scratch.js';
import { importMany, type ImportSource } from '../session/import-media.js';
import { defaultTracks, ProjectSession } from '../session/project-session.js';
import { writeSampleProject } from './sample-project.js';
import { VERSION } from './version.js';
import { DESHAKE_WARNING, stabilizeMethodFor } from '../stabilize/analyze.js';
import { enqueueStabilize } from '../stabilize/job.js';
import { requestLoopPoint } from '../analysis/job.js';
import { importLut } from './import-lut.js';
import { exportInterchange } from '../export/interchange.js';
import { removeJobWorkDir, sweepJobWorkDirs } from '../generation/job-workdirs.js';
import { TERMINAL_STATES } from '../../app/jobs/types.js';
import { packProject, unpackPackage } from '../package/project-package.js';
import { populateFromOtio, readOtioPlan, resolveMedia } from '../export/otio-import.js';
import { createGenerationService, type GenerationService } from '../generation/service.js';
import { EndpointService } from '../endpoints/service.js';
import { projectSpend } from '../../app/generation/spend.js';
import { probeOpenAiSpeech, SpeechRegistry } from '../speech/registry.js';
import { OPENAI_SPEECH_KIND } from '../speech/openai-speech.js';
import { CameoService } from '../cameos/service.js';
import { cameoHandlers, checkExportCameos, markRevokedTakes } from './cameos.js';
import { exportBlockers } from '../../app/cameos/marks.js';

export type Handlers = { [M in MethodName]: (input: MethodParsed<M>) => Promise<MethodResult<M>> };

export interface ServicesOptions {
  userDataDir?: string;
  engine?: FfmpegEngine;
  transport: AppInfo['transport'];
  /** Where uploads from a studio browser are staged before import. */
  resolveUpload?: (uploadId: string) => string | null;
}

export const DEFAULT_SETTINGS: ProjectSettings = { name: 'Untitled', fps: { num: 30, den: 1 }, width: 1920, height: 1080, sampleRate: 48000 };

export class ShotlineServices {
  private session: ProjectSession | null = null;
  private readonly listeners = new Set<(e: ApiEvent) => void>();
  readonly handlers: Handlers;
  /** Generation backends (local model packs) and the 'generate' jobs. */
  readonly generation: GenerationService;

  /** Remote generation servers (rows in the library; keys in the keychain). */
  readonly endpoints: EndpointService;

  /** Speech backends (espeak-ng, /v1/audio/speech endpoints) that voice dialogue. */
  readonly speech: SpeechRegistry;

  /** Where a speaker bound to a cameo's voice is checked against that cameo's consent (assertCameoUse(id, 'voice', …)). */
  readonly cameoVoice: CameoVoiceGate | null;

  /** App preferences (ffmpeg, models folder, execution provider). */
  readonly preferences: PreferencesService;

  /** The cameo library: consent checks, use log, revoke (docs/cameos.md). */
  readonly cameos: CameoService;

  private constructor(
    readonly library: LibraryStore,
    readonly engine: SwappableEngine,
    private readonly opts: ServicesOptions,
  ) {
    this.endpoints = new EndpointService(library);
    this.generation = createGenerationService(library, engine, this.endpoints);
    this.speech = new SpeechRegistry(this.endpoints, engine);
    this.endpoints.setProbe(OPENAI_SPEECH_KIND, (row, key, signal) => probeOpenAiSpeech(row, key, engine, signal));
    this.preferences = new PreferencesService(library, engine, this.generation.registry);
    this.cameos = new CameoService(library, engine);
    this.generation.cameos = this.cameos;
    // A speaker bound to a cameo's voice goes through the cameo's consent (it must cover voice); the use is logged.
    this.cameoVoice = async (cameoId, { session, shot, endpoint }) => {
      const use = await this.cameos.assertCameoUse(cameoId, 'voice', { project: { dir: session.dir, name: session.state.settings.name }, shotId: shot.id, shotTitle: shot.title, endpoint, purpose: 'voice' });
      const sample = use.files.find((f) => f.role === 'voice');
      if (!sample) throw new ShotlineError('not_found', `${use.cameo.name} has no voice sample.`, 'Add a voice sample to the cameo, or pick a voice for this speaker.');
      return { path: sample.path };
    };
    this.handlers = this.makeHandlers();
  }

  static async create(opts: ServicesOptions): Promise<ShotlineServices> {
    // Scratch folders of killed runs (generation, uploads) would pile up in the temp dir.
    await cleanStaleScratch();
    const library = new LibraryStore(opts.userDataDir ?? defaultUserDataDir());
    const engine =
      opts.engine ??
      (await selectEngine({
        prefer: process.env.SHOTLINE_FFMPEG_ENGINE === 'wasm' ? 'wasm' : undefined,
        ffmpegPath: process.env.SHOTLINE_FFMPEG ?? library.preference('ffmpegPath'),
        // What the binaries answered last time, while they are unchanged (media/binary-facts.ts).
        factsFile: path.join(library.userDataDir, FFMPEG_FACTS_FILE),
      }));
    return new ShotlineServices(library, new SwappableEngine(engine), opts);
  }

  subscribe(listener: (e: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit = (e: ApiEvent): void => {
    for (const l of this.listeners) l(e);
  };

  get current(): ProjectSession {
    if (!this.session) throw new ShotlineError('no_project', 'No project is open.', 'Create or open a project first.');
    return this.session;
  }

  get openProjectDir(): string | null {
    return this.session?.dir ?? null;
  }

  /** Open a store as the current project (closing any other) and start its job queue. */
  private async activate(store: ProjectStore): Promise<ProjectSnapshot> {
    await this.closeSession();
    const session: ProjectSession = new ProjectSession(
      store,
      { ...createJobHandlers(() => session, this.engine, this.generation, { userDataDir: this.library.userDataDir, appVersion: VERSION }), voice: createVoiceHandler(() => session, this.engine, this.speech, () => this.cameoVoice) },
      (e) => {
        // A job that ended (canceled while queued included) never continues its work folder.
        if (e.type === 'job.updated' && TERMINAL_STATES.includes(e.job.state)) void removeJobWorkDir(store.dir, e.job.id);
        this.emit(e);
      },
    );
    this.session = session;
    // A remote endpoint's jobs hold its own slot ('network:<id>'), as wide as its concurrency.
    session.queue.setLimits((resource) => (resource.startsWith('network:') ? this.endpoints.rows.get(resource.slice(8))?.concurrency : undefined));
    this.library.touchRecent(store.dir, session.state.settings.name);
    // Cameos revoked while this project was closed: its takes are marked now.
    markRevokedTakes(this.cameos, session);
    // Work folders of jobs that are gone or finished (a crash before their clean-up); before start, so none is running yet.
    await sweepJobWorkDirs(store.dir, (id) => session.queue.get(id)?.state ?? null);
    session.queue.start();
    const snapshot = this.snapshot();
    this.emit({ type: 'project.opened', snapshot });
    return snapshot;
  }

  private snapshot(): ProjectSnapshot {
    const s = this.current;
    return { dir: s.dir, state: s.state, history: s.store.historyInfo(), jobs: s.queue.list() };
  }

  private async closeSession(): Promise<void> {
    if (!this.session) return;
    const s = this.session;
    this.session = null;
    await s.close();
    this.emit({ type: 'project.closed' });
  }

  async shutdown(): Promise<void> {
    await this.closeSession();
    await this.generation.dispose();
    this.library.close();
  }

  private makeHandlers(): Handlers {
    return {
      'app.info': async () => ({
        version: VERSION,
        engine: { kind: this.engine.kind, version: this.engine.version, path: this.engine.path },
        transport: this.opts.transport,
        nativeDialogs: this.opts.transport === 'electron',
        openProject: this.openProjectDir,
      }),
      'app.recentProjects': async () => this.library.recent(),
      'prefs.get': async () => this.preferences.view(),
      'prefs.set': async (patch) => this.preferences.update(patch),
      'project.create': async ({ dir, name, settings }) => {
        const abs = fullPath(dir);
        // The default tracks are written with the file, so a kill never leaves a project without them.
        const snapshot = await this.activate(ProjectStore.create(abs, { ...DEFAULT_SETTINGS, ...settings, name }, defaultTracks()));
        return { ...snapshot, state: this.current.state };
      },
      'project.open': async ({ dir }) => {
        const store = ProjectStore.open(fullPath(dir), DEFAULT_SETTINGS);
        const snapshot = await this.activate(store);
        if (!store.repaired) return snapshot;
        this.current.ensureDefaultTracks();
        return this.snapshot();
      },
      'project.createSample': async ({ dir }) => {
        const abs = fullPath(dir);
        await this.activate(ProjectStore.create(abs, { ...DEFAULT_SETTINGS, name: 'Sample: The Lighthouse' }, defaultTracks()));
        await writeSampleProject(this.current, this.engine);
        return this.snapshot();
      },
      'project.package': async ({ outPath, includeUnused, overwrite, confirmOverwrite }) => {
        const s = this.current;
        await checkOverwriteConfirmed(path.resolve(outPath), overwrite, confirmOverwrite);
        return packProject({ state: s.state, projectDir: s.dir, backupDatabase: async (to) => void (await s.store.db.backup(to)), outPath, appVersion: VERSION, includeUnused, overwrite });
      },
      'project.openPackage': async ({ file, dir }) => {
        const target = path.resolve(dir);
        await unpackPackage(path.resolve(file), target);
        return this.activate(ProjectStore.open(target, DEFAULT_SETTINGS));
      },
      'project.importOtio': async ({ file, dir, searchDir }) => {
        // Planned and relinked before the project exists: a bad file creates nothing.
        const otioFile = path.resolve(file);
        const plan = await readOtioPlan(otioFile);
        const media = await resolveMedia(plan, path.dirname(otioFile), searchDir ? path.resolve(searchDir) : undefined);
        await this.activate(ProjectStore.create(path.resolve(dir), { ...DEFAULT_SETTINGS, name: plan.name, fps: plan.fps }));
        const report = await populateFromOtio(this.current, this.engine, plan, media);
        return { snapshot: this.snapshot(), report };
      },
      'project.close': async () => {
        await this.closeSession();
        return null;
      },
      'project.snapshot': async () => this.snapshot(),
      'edit.apply': async ({ command, args }) => this.current.edit(command, args),
      'edit.undo': async () => this.current.undo(),
      'edit.redo': async () => this.current.redo(),
      'assets.import': async ({ files }) => {
        const sources: ImportSource[] = files.map((f) => {
          if ('path' in f) return { filePath: path.resolve(f.path), name: path.basename(f.path) };
          const staged = this.opts.resolveUpload?.(f.uploadId);
          if (!staged) throw new ShotlineError('not_found', `The upload of "${f.name}" was not found.`, 'Upload the file again.');
          return { filePath: staged, name: f.name, staged: true };
        });
        return importMany(this.current, this.engine, sources);
      },
      'jobs.list': async () => this.current.queue.list(),
      'jobs.cancel': async ({ jobId }) => this.current.queue.cancel(jobId),
      'jobs.retry': async ({ jobId }) => this.current.queue.retry(jobId),
      'export.presets': async () => EXPORT_PRESETS,
      'export.start': async ({ preset, outPath, fit, overwrite, confirmOverwrite, watermark, cameoOverride, loudness }) => {
        const p = findPreset(preset);
        if (!p) throw new ShotlineError('invalid_input', `Unknown export preset "${preset}".`, `Use one of: ${EXPORT_PRESETS.map((x) => x.id).join(', ')}.`);
        // A timeline with takes that use a revoked cameo is refused here, listing the shots.
        const accepted = await checkExportCameos(this.cameos, this.current, cameoOverride);
        const payload: ExportPayload = {
          preset,
          outPath: path.resolve(outPath),
          fit,
          overwrite,
          ...(watermark !== undefined ? { watermark } : {}),
          ...(accepted.length ? { cameoOverride: accepted } : {}),
          ...(loudness ? { loudness } : {}),
        };
        await checkOverwriteConfirmed(payload.outPath, overwrite, confirmOverwrite);
        // The dialog proposes <project>/exports/: make folders inside the project on demand.
        // A missing folder elsewhere stays an error (more likely a typo than a wish).
        const outDir = path.dirname(payload.outPath);
        const rel = path.relative(this.current.dir, outDir);
        if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) await fs.promises.mkdir(outDir, { recursive: true });
        return this.current.queue.enqueue('export', `Export ${path.basename(outPath)} (${p.label})`, payload);
      },
      'export.cameoBlockers': async () => exportBlockers(this.current.state, this.cameos.lib.rows.revokedIds()),
      'export.interchange': async ({ format, outPath, copyMedia, overwrite, confirmOverwrite }) => {
        await checkOverwriteConfirmed(path.resolve(outPath), overwrite, confirmOverwrite);
        return exportInterchange({ state: this.current.state, projectDir: this.current.dir, format, outPath, copyMedia, overwrite });
      },
      'fs.list': async ({ path: dir }) => listDir(dir ?? os.homedir()),
      'generation.backends': async () => this.generation.backends(),
      'generation.start': async (input) => this.generation.start(this.current, input),
      'generation.estimate': async (input) => this.generation.estimate(this.current, input),
      'generation.spend': async () => projectSpend(this.current.state),
      'endpoints.list': async () => this.endpoints.list(),
      'endpoints.add': async (input) => this.endpoints.add(input),
      'endpoints.update': async (input) => this.endpoints.update(input),
      'endpoints.remove': async ({ id }) => this.endpoints.remove(id),
      'endpoints.test': async ({ id }) => this.endpoints.test(id),
      'export.measureLoudness': async ({ preset, fit }) => {
        const p = findPreset(preset);
        if (!p) throw new ShotlineError('invalid_input', `Unknown export preset "${preset}".`, `Use one of: ${EXPORT_PRESETS.map((x) => x.id).join(', ')}.`);
        // The plan is checked now (an empty timeline is refused here, not in the job).
        compileRenderPlan(this.current.state, { width: p.width, height: p.height, fit });
        const payload: LoudnessPayload = { preset, fit };
        return this.current.queue.enqueue('loudness', `Loudness of the mix (${p.label})`, payload);
      },
      'speech.backends': async () => this.speech.list(),
      'dialogue.voice': async (input) => queueVoicing(this.current, this.speech, input, this.cameoVoice),
      'stabilize.analyze': async ({ clipId }) => enqueueStabilize(this.current, this.engine, clipId),
      'analysis.loopPoint': async ({ clipId, windowFrames }) => requestLoopPoint(this.current, clipId, windowFrames),
      'stabilize.engine': async () => {
        const method = stabilizeMethodFor(this.engine);
        return { method, warning: method === 'deshake' ? DESHAKE_WARNING : null };
      },
      'color.importLut': async ({ file }) => {
        if ('path' in file) return importLut(this.current.dir, { filePath: path.resolve(file.path), name: path.basename(file.path) });
        const staged = this.opts.resolveUpload?.(file.uploadId);
        if (!staged) throw new ShotlineError('not_found', `The upload of "${file.name}" was not found.`, 'Upload the file again.');
        return importLut(this.current.dir, { filePath: staged, name: file.name });
      },
      ...cameoHandlers({ cameos: this.cameos, endpoints: this.endpoints, session: () => this.session, resolveUpload: this.opts.resolveUpload }),
    };
  }
}

async function listDir(dir: string): Promise<DirListing> {
  const abs = path.resolve(dir);
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(abs, { withFileTypes: true });
  } catch (e) {
    throw new ShotlineError('not_found', `Cannot list ${abs}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  const parent = path.dirname(abs);
  const folders = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => {
      const full = path.join(abs, e.name);
      return { name: e.name, path: full, isDir: true, isProject: fs.existsSync(path.join(full, PROJECT_FILE)) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { path: abs, parent: parent === abs ? null : parent, entries: folders };
}

/**
 * A project folder from a caller is a full path: resolving a relative one against the server's
 * working directory (wherever `shotline studio` was started) would put it somewhere unexpected.
 */
function fullPath(dir: string): string {
  if (!path.isAbsolute(dir)) throw new ShotlineError('invalid_input', `"${dir}" is a relative path; a project location must be a full path.`, 'Give the full path of the folder, e.g. /home/you/Films/my-film.');
  return path.normalize(dir);
}
