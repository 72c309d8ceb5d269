/**
 * The generation vocabulary shared by main (runs backends), the CLI and the renderer (shows
 * what a backend can do). A backend is anything that turns a request into a video file:
 * the local ONNX runner, an OpenAI-compatible `/v1/videos` endpoint, a ComfyUI server.
 * Pure types: the implementations live in main/backends/.
 */
import type { SerializedError } from '../errors.js';
import type { AssetKind, ProbeInfo } from '../model/types.js';

export type GenerationTask = 'text-to-video' | 'image-to-video' | 'video-to-video';
export const GENERATION_TASKS: readonly GenerationTask[] = ['text-to-video', 'image-to-video', 'video-to-video'];

/** Human wording for messages and UI. */
export const TASK_LABELS: Record<GenerationTask, string> = {
  'text-to-video': 'text-to-video',
  'image-to-video': 'image-to-video (reference image)',
  'video-to-video': 'remix (video-to-video)',
};

export interface FrameSize {
  width: number;
  height: number;
}

export interface NumberRange {
  min: number;
  max: number;
  default: number;
}

/** What a backend can make. Validation (request.ts) is driven entirely by this. */
export interface GenerationCapabilities {
  tasks: GenerationTask[];
  /** Output sizes it makes, in pixels; the first is the default. */
  sizes: FrameSize[];
  /** Clip lengths it makes, in seconds; the first is the default. */
  durations: number[];
  /** Frame rates of its output. */
  fps: number[];
  /** Whether clips come with sound. */
  audio: boolean;
  /** Most takes one `generation.start` may queue. */
  maxTakes: number;
  /** Denoising steps, when the user may choose them. */
  steps: NumberRange | null;
  /** Classifier-free guidance scale, when the user may choose it. */
  guidance: NumberRange | null;
  /** Same seed + same request → same clip. */
  deterministic: boolean;
  /** Longest prompt the backend accepts, in characters. */
  maxPromptChars: number;
  /** Remote endpoints: what they can do with a video they made (remix by id, extend, prompt-directed edit). */
  operations?: ('remix' | 'extend' | 'edit')[];
  /** Remote endpoints: whether an input image (image-to-video) is accepted. */
  imageInput?: boolean;
  /** Takes a voice sample as an input (a ComfyUI workflow with a mapped LoadAudio node): a cameo's voice goes there. */
  voiceInput?: boolean;
}

export interface BackendModelInfo {
  name: string;
  version: string;
  displayName: string;
  description?: string;
  license?: string;
}

/** A backend as `generation.backends` lists it. */
export interface BackendInfo {
  id: string;
  label: string;
  /** The model (pack) this entry runs; backends with one model still name it. */
  model: BackendModelInfo;
  capabilities: GenerationCapabilities;
  /** 'ready', or 'error' with the reason (a damaged model pack, a provider that failed). */
  status: 'ready' | 'error';
  error?: SerializedError;
  /** Where it runs: 'cpu', 'cuda', 'webgpu', … for local backends; 'remote' for endpoints; null before first use. */
  executionProvider: string | null;
  /** The folder of a local model pack; a remote endpoint's address. */
  location?: string;
  /** A paid endpoint's price per generated second in US dollars (absent or null: free). */
  pricePerSecond?: number | null;
}

export interface GenerationProgress {
  /** 0..1 over the whole generation (denoising, decoding, encoding). */
  fraction: number;
  step?: number;
  totalSteps?: number;
  etaSeconds: number | null;
  message: string;
}

/** A request with its media inputs resolved to files main can read. */
export interface ResolvedInputs {
  /** Still image for image-to-video (first-frame conditioning). */
  referenceImage?: { path: string; sha256: string; name: string; lastFrameOfVideo?: boolean };
  /** A cameo's voice sample (from the cameo library), for a backend that takes one (`voiceInput`). */
  voiceSample?: { path: string; sha256: string; name: string };
  /** Source clip for remix (video-to-video); `remote` when it was made on a remote endpoint (remix there by id). */
  remixSource?: { path: string; sha256: string; name: string; durationSeconds?: number; remote?: RemoteOrigin };
}

/** Where a remotely generated clip lives on its server (no secrets: endpoint id and name, the server's video id). */
export interface RemoteOrigin {
  endpointId: string;
  endpointName: string;
  videoId: string;
}

/**
 * A remote job's checkpoint, committed to the job row: read back after a restart so a job
 * re-attaches to its remote video instead of paying for a new one.
 */
export interface RemoteCheckpoint {
  get<T>(): T | null;
  set(value: unknown): void;
  /** Remote ids other jobs of this project already own (so reconciling never adopts a sibling's video). */
  claimedElsewhere(): string[];
}

export interface GenerateOptions {
  /** Where to write the MP4 (the backend writes atomically: temp name, then rename). */
  outPath: string;
  signal?: AbortSignal;
  onProgress?: (p: GenerationProgress) => void;
  /** For remote backends: the job's checkpoint (absent for one-off CLI runs: nothing to resume). */
  remote?: RemoteCheckpoint;
  /**
   * A folder that outlives the process (the job's, in the project): a remote backend downloads
   * there, so a download cut by a crash continues with Range after the restart. Absent: scratch.
   */
  resumeDir?: string;
  /**
   * Remote backends call this once the server's part is over (the result is downloaded): the
   * job's network slot goes to the next take while this one is checked and imported.
   */
  releaseSlot?: () => void;
  /**
   * Called as soon as one of the request's files is stored on a server that keeps it (ComfyUI's
   * input folder has no delete route): the cameo library records where a cameo's still or voice
   * went, so a revoke can say which files to ask the server's operator to remove.
   */
  onUpload?: (u: RemoteUpload) => void;
}

/** A request file a server now keeps: which input it was, where, and under what name. */
export interface RemoteUpload {
  input: 'reference' | 'voice';
  endpoint: { id: string; name: string; baseUrl: string };
  file: string;
}

/** Everything needed to reproduce a generated clip; stored as the asset's provenance. */
export interface GenerationProvenance {
  backend: string;
  model: { name: string; version: string };
  executionProvider: string;
  task: GenerationTask;
  prompt: string;
  seed: number;
  steps: number;
  guidance: number;
  durationSeconds: number;
  size: FrameSize;
  fps: number;
  strength?: number;
  inputs: { role: 'reference' | 'remix-source' | 'voice'; sha256: string; name: string }[];
  secondsTaken: number;
  /** Remote backends: the server's video, and what it cost on a paid endpoint (US dollars). */
  remote?: RemoteOrigin & { costUsd: number | null; operation: 'create' | 'remix' | 'extend' | 'edit' };
}

export interface GenerationOutput {
  file: string;
  /** A still the server made for the clip (`variant=thumbnail`), used as the take's poster. */
  poster?: string;
  /** What the backend's own check (ffprobe + tail decode) found, so the import does not probe the same file again. */
  probed?: { kind: AssetKind; probe: ProbeInfo; ext: string };
  provenance: GenerationProvenance;
}
