/**
 * The whole main-process surface, declared once. Each method has a runtime schema for
 * its input (checked on the main side: the renderer is untrusted) and a result type.
 * Electron IPC, the studio HTTP bridge and the in-process client are all built from this.
 */
import { z } from 'zod';
import { editRequestSchema, type EditRequest } from '../commands/registry.js';
import type { HistoryInfo } from '../commands/engine.js';
import type { Patch } from '../commands/patch.js';
import type { Asset, ProjectState } from '../model/types.js';
import type { Job } from '../jobs/types.js';
import type { ExportPreset } from '../export/presets.js';
import { id, rational } from '../commands/schemas.js';
import type { SerializedError } from '../errors.js';
import { generationStartInput, type CostEstimate, type ProjectSpend } from '../generation/api.js';
import type { BackendInfo } from '../generation/types.js';
import type { StabilizeEngineInfo } from '../model/stabilize.js';
import type { LutRef } from '../model/color.js';
import type { LoopPointAnswer } from '../model/timing.js';
import { preferencesPatch, type PreferencesView } from './preferences.js';
import { INTERCHANGE_FORMAT_IDS, type InterchangeExportResult, type OtioImportResultReport } from '../interchange/formats.js';
import { endpointAddInput, endpointIdInput, endpointUpdateInput, type EndpointTestResult } from './endpoints.js';
import type { Endpoint } from '../endpoints/types.js';
import type { Cameo, CameoSummary } from '../cameos/types.js';
import type { ExportBlocker } from '../cameos/marks.js';
import {
  cameoBundleExportInput,
  cameoCreateInput,
  cameoFileInput,
  cameoIdInput,
  cameoMediaInput,
  cameoRevokeInput,
  cameoUpdateInput,
  cameoUserInput,
  type CameoDetail,
  type CameoMediaData,
  type CameoRevokeResult,
  type CameoUserInfo,
} from './cameos.js';
import { LOUDNESS_TARGET_IDS, type LoudnessTargetId } from '../export/loudness.js';
import type { SpeechBackendInfo } from '../speech/types.js';
import { dialogueVoiceInput } from '../speech/voicing.js';

const loudnessChoice = z.enum(LOUDNESS_TARGET_IDS as [LoudnessTargetId, ...LoudnessTargetId[]]);

const path = z.string().min(1).max(4096);
const none = z.object({}).strict();

/** A method: input schema plus a phantom result type. */
interface Method<I extends z.ZodType, O> {
  input: I;
  /** Never read at run time; carries the result type. */
  result?: O;
}
const method = <O>() => <I extends z.ZodType>(input: I): Method<I, O> => ({ input });

export interface ProjectSnapshot {
  dir: string;
  state: ProjectState;
  history: HistoryInfo;
  jobs: Job[];
}

export interface RecentProject {
  dir: string;
  name: string;
  openedAt: string;
}

export interface AppInfo {
  version: string;
  /** Which ffmpeg engine runs exports: native binary path and version, or the wasm fallback. */
  engine: { kind: 'native' | 'wasm'; version: string; path: string | null };
  transport: 'electron' | 'studio' | 'in-process';
  nativeDialogs: boolean;
  openProject: string | null;
}

export interface EditResult {
  patch: Patch;
  history: HistoryInfo;
}

export interface ImportResult {
  imported: Asset[];
  failed: { name: string; error: SerializedError }[];
}

export interface DirEntry {
  name: string;
  path: string;
  isDir: boolean;
  isProject: boolean;
}

/** One folder's listing: its absolute path, its parent (null at a root) and its sub-folders. */
export interface DirListing {
  path: string;
  parent: string | null;
  entries: DirEntry[];
}

export const importFile = z.union([
  z.object({ path }),
  /** A file the studio client uploaded first (PUT /upload), with its original name. */
  z.object({ uploadId: z.string().regex(/^[a-f0-9-]{36}$/), name: z.string().min(1).max(255) }),
]);

export const api = {
  'app.info': method<AppInfo>()(none),
  'app.recentProjects': method<RecentProject[]>()(none),
  /** App preferences (ffmpeg, user models folder, execution provider) and what they resolve to. */
  'prefs.get': method<PreferencesView>()(none),
  /** Change preferences: each value is checked (a working ffmpeg, an existing folder) before it is saved. */
  'prefs.set': method<PreferencesView>()(preferencesPatch),
  'project.create': method<ProjectSnapshot>()(
    z.object({
      dir: path,
      name: z.string().min(1).max(200),
      settings: z
        .object({ fps: rational, width: z.number().int().min(16).max(8192), height: z.number().int().min(16).max(8192) })
        .partial()
        .optional(),
    }),
  ),
  'project.open': method<ProjectSnapshot>()(z.object({ dir: path })),
  'project.createSample': method<ProjectSnapshot>()(z.object({ dir: path })),
  /**
   * A new project from an OpenTimelineIO file (docs/interchange.md): media relinked by path, then by
   * file name inside `searchDir`; the report says what was relinked, missing or dropped.
   */
  /** One zip with the project database, the media its timeline uses and a manifest (docs/provenance.md#project-packages). */
  'project.package': method<{ outPath: string; bytes: number; files: number; leftOut: { assetId: string; name: string }[] }>()(
    z.object({ outPath: path, includeUnused: z.boolean().default(false), overwrite: z.boolean().default(false), confirmOverwrite: path.optional() }),
  ),
  /** Unpack a package into a new folder (checked against its manifest) and open it. */
  'project.openPackage': method<ProjectSnapshot>()(z.object({ file: path, dir: path })),
  'project.importOtio': method<{ snapshot: ProjectSnapshot; report: OtioImportResultReport }>()(z.object({ file: path, dir: path, searchDir: path.optional() })),
  'project.close': method<null>()(none),
  'project.snapshot': method<ProjectSnapshot>()(none),
  'edit.apply': method<EditResult>()(editRequestSchema),
  'edit.undo': method<EditResult>()(none),
  'edit.redo': method<EditResult>()(none),
  'assets.import': method<ImportResult>()(z.object({ files: z.array(importFile).min(1).max(500) })),
  'jobs.list': method<Job[]>()(none),
  'jobs.cancel': method<Job>()(z.object({ jobId: id })),
  'jobs.retry': method<Job>()(z.object({ jobId: id })),
  'export.presets': method<readonly ExportPreset[]>()(none),
  'export.start': method<Job>()(
    z.object({
      preset: z.string().min(1).max(64),
      outPath: path,
      fit: z.enum(['fit', 'fill']).default('fit'),
      overwrite: z.boolean().default(false),
      /** outPath again, when the user confirmed replacing a file that is not an earlier Shotline export. */
      confirmOverwrite: path.optional(),
      /** Burn the moving "AI-generated" mark over generated footage; default: on when the timeline has any. */
      watermark: z.boolean().optional(),
      /**
       * Export anyway with these revoked cameos (logged): allowed only to a cameo's owner, and
       * only for their own likeness (docs/cameos.md).
       */
      cameoOverride: z.object({ cameoIds: z.array(z.string().min(1).max(64)).min(1).max(50), reason: z.string().min(1).max(500) }).strict().optional(),
      /** The mix's loudness target (web −14 LUFS, broadcast −23 LUFS, off); default: the preset's. */
      loudness: loudnessChoice.optional(),
    }),
  ),
  /** Timeline clips that use a revoked cameo, by shot (what export would refuse). */
  'export.cameoBlockers': method<ExportBlocker[]>()(none),
  /** Write the timeline as OTIO / FCPXML / EDL / MLT (docs/interchange.md), optionally with its media copied beside it. */
  'export.interchange': method<InterchangeExportResult>()(
    z.object({
      format: z.enum(INTERCHANGE_FORMAT_IDS),
      outPath: path,
      copyMedia: z.boolean().default(false),
      overwrite: z.boolean().default(false),
      /** outPath again, when the user confirmed replacing a file that is not an earlier Shotline export (as export.start). */
      confirmOverwrite: path.optional(),
    }),
  ),
  /** The sub-folders of a folder (the home folder when no path is given), with where it is. */
  'fs.list': method<DirListing>()(z.object({ path: path.optional() })),
  /** Generation backends (one per local model pack) with capabilities, status and execution provider. */
  'generation.backends': method<BackendInfo[]>()(none),
  /** Queue one 'generate' job per take for a shot (identical requests are served from the cache). */
  'generation.start': method<Job[]>()(generationStartInput),
  /** What `generation.start` with this input would cost on a paid endpoint (nothing is queued). */
  'generation.estimate': method<CostEstimate>()(generationStartInput),
  /** The running cost of this project's remote takes. */
  'generation.spend': method<ProjectSpend>()(none),
  /** Remote generation servers, with capabilities and whether a key is set (never the key). */
  'endpoints.list': method<Endpoint[]>()(none),
  /** Add an endpoint; a key given here goes to the OS keychain (refused with the env-var fallback where none exists). */
  'endpoints.add': method<Endpoint>()(endpointAddInput),
  /** Change an endpoint; `apiKey: null` removes its stored key. */
  'endpoints.update': method<Endpoint>()(endpointUpdateInput),
  'endpoints.remove': method<null>()(endpointIdInput),
  /** Reach the server with its key; stores the capabilities it reports. */
  'endpoints.test': method<EndpointTestResult>()(endpointIdInput),
  /** Analyse a clip's shake and render its stabilized preview: a 'stabilize' job (cached per asset span and settings). */
  'stabilize.analyze': method<Job>()(z.object({ clipId: id })),
  /** Which stabilizer this ffmpeg runs: vid.stab, or deshake with a warning. */
  'stabilize.engine': method<StabilizeEngineInfo>()(none),
  /** Import a .cube LUT into the project (media/luts/<sha256>.cube); a malformed file is refused with its line number. */
  'color.importLut': method<LutRef>()(z.object({ file: importFile })),
  /**
   * Seamless loop point of a clip's span: the cached result (per asset + settings), or an
   * 'analyze' job that records it on the asset (AssetDerivatives.loopPoints).
   */
  /** The Export dialog's meter: a 'loudness' job measuring the current mix (ebur128); its result is a LoudnessReport. */
  'export.measureLoudness': method<Job>()(z.object({ preset: z.string().min(1).max(64), fit: z.enum(['fit', 'fill']).default('fit') }).strict()),
  /** Speech backends: the built-in voice (espeak-ng) and each /v1/audio/speech endpoint. */
  'speech.backends': method<SpeechBackendInfo[]>()(none),
  /** Voice a shot's dialogue (all lines, or the ones named): a 'voice' job that places each line on a dialogue track. */
  'dialogue.voice': method<Job>()(dialogueVoiceInput),
  'analysis.loopPoint': method<LoopPointAnswer>()(z.object({ clipId: id, windowFrames: z.number().int().min(1).max(300).optional() })),
  /** The cameo library (docs/cameos.md): every cameo with status and use count. */
  'cameos.list': method<CameoSummary[]>()(none),
  /** One cameo with its use log and the remote characters made from it. */
  'cameos.get': method<CameoDetail>()(cameoIdInput),
  /** A new cameo from a video, stills and/or an audio sample, with its consent record. */
  'cameos.create': method<CameoSummary>()(cameoCreateInput),
  'cameos.update': method<CameoSummary>()(cameoUpdateInput),
  /** Revoke: media deleted, takes using it marked, export refused until they are replaced. */
  'cameos.revoke': method<CameoRevokeResult>()(cameoRevokeInput),
  /** A still, the poster or the voice sample, as a data URL (small files). */
  'cameos.media': method<CameoMediaData>()(cameoMediaInput),
  /** Who this install's user is for consent checks (name, signing key id). */
  'cameos.user': method<CameoUserInfo>()(none),
  'cameos.setUser': method<CameoUserInfo>()(cameoUserInput),
  /** One file: media + consent record, signed with this install's key. */
  'cameos.exportBundle': method<{ outPath: string; bytes: number }>()(cameoBundleExportInput),
  /** Someone else's bundle: checked (signature, media hashes, version) before anything is added. */
  'cameos.importBundle': method<CameoSummary>()(cameoFileInput),
  /** The owner's signed revocation of a cameo they shared. */
  'cameos.exportRevocation': method<{ outPath: string; bytes: number }>()(cameoBundleExportInput),
  /** Import an owner's revocation file: the cameo is revoked here. */
  'cameos.importRevocation': method<CameoRevokeResult>()(cameoFileInput),
} as const;

export type { Cameo };

export type Api = typeof api;
export type MethodName = keyof Api;
export type MethodInput<M extends MethodName> = z.input<Api[M]['input']>;
export type MethodParsed<M extends MethodName> = z.output<Api[M]['input']>;
export type MethodResult<M extends MethodName> = Api[M] extends Method<z.ZodType, infer O> ? O : never;

export type { EditRequest };

/** What main pushes to every connected renderer. */
export type ApiEvent =
  | { type: 'project.changed'; patch: Patch; history: HistoryInfo }
  | { type: 'project.opened'; snapshot: ProjectSnapshot }
  | { type: 'project.closed' }
  | { type: 'job.updated'; job: Job };

export const METHOD_NAMES = Object.keys(api) as MethodName[];

/** Validate a call's input; throws a ShotlineError-shaped failure via the caller. */
export function parseInput<M extends MethodName>(name: M, input: unknown): z.ZodSafeParseResult<MethodParsed<M>> {
  return (api[name].input as z.ZodType).safeParse(input ?? {}) as z.ZodSafeParseResult<MethodParsed<M>>;
}
