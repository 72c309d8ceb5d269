/**
 * App preferences (per user, not per project): which ffmpeg runs, an extra folder of model
 * packs, and the execution provider local generation must use. Kept in the library store
 * (main/store/library-store.ts); changed through 'prefs.set', which checks each value before
 * saving it, so a saved preference always worked when it was saved.
 */
import { z } from 'zod';

/** 'auto' tries CUDA, DirectML, CoreML, WebGPU, then CPU and uses the first that loads. */
export const EXECUTION_PROVIDER_CHOICES = ['auto', 'cuda', 'dml', 'coreml', 'webgpu', 'cpu'] as const;
export type ExecutionProviderChoice = (typeof EXECUTION_PROVIDER_CHOICES)[number];

export interface AppPreferences {
  /** The ffmpeg program to run; null: the bundled one, else the one on PATH, else wasm. */
  ffmpegPath: string | null;
  /** A folder of model packs besides the shipped ones. */
  userModelsDir: string | null;
  executionProvider: ExecutionProviderChoice;
}

export const DEFAULT_PREFERENCES: AppPreferences = { ffmpegPath: null, userModelsDir: null, executionProvider: 'auto' };

/** The library store's keys for each preference. */
export const PREFERENCE_KEYS: Record<keyof AppPreferences, string> = {
  ffmpegPath: 'ffmpegPath',
  userModelsDir: 'userModelsDir',
  executionProvider: 'executionProvider',
};

const optionalPath = z.string().trim().min(1).max(4096).nullable().optional();

export const preferencesPatch = z
  .object({
    ffmpegPath: optionalPath,
    /** The new ffmpeg path typed a second time: Shotline will run that program, so it is confirmed. */
    confirmFfmpegPath: z.string().trim().max(4096).optional(),
    userModelsDir: optionalPath,
    executionProvider: z.enum(EXECUTION_PROVIDER_CHOICES).optional(),
  })
  .strict();
export type PreferencesPatch = z.infer<typeof preferencesPatch>;

export interface PreferencesView {
  preferences: AppPreferences;
  /** The ffmpeg engine in use now. */
  engine: { kind: 'native' | 'wasm'; version: string; path: string | null };
  /** Folders scanned for model packs, shipped first. */
  modelDirs: string[];
  /** Environment variables that take precedence over a preference, by preference. */
  overriddenBy: Partial<Record<keyof AppPreferences, string>>;
}
