/**
 * Reading and changing the app preferences (app/api/preferences.ts). Each new value is
 * tried before it is saved: an ffmpeg must run and print its version, a models folder must
 * be a readable folder, a provider must be one onnxruntime knows. A refused value leaves the
 * saved one in place and says why. Environment variables (SHOTLINE_FFMPEG, SHOTLINE_EP) win
 * over preferences, as `shotline doctor` reports.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import {
  EXECUTION_PROVIDER_CHOICES,
  type AppPreferences,
  type ExecutionProviderChoice,
  type PreferencesPatch,
  type PreferencesView,
} from '../../app/api/preferences.js';
import type { BackendRegistry } from '../backends/registry.js';
import { createNativeEngine, findNativeFfmpeg } from '../media/native-engine.js';
import { selectEngine } from '../media/select-engine.js';
import type { SwappableEngine } from '../media/swappable-engine.js';
import type { LibraryStore } from '../store/library-store.js';

type SettingsStore = Pick<LibraryStore, 'preferences' | 'setPreference'>;

export class PreferencesService {
  constructor(
    private readonly library: SettingsStore,
    private readonly engine: SwappableEngine,
    private readonly registry: BackendRegistry,
  ) {
    // The saved provider applies from the start (SHOTLINE_EP still wins: the runner reads it when this is auto).
    this.registry.local.setExecutionProvider(providerOption(this.read().executionProvider));
  }

  read(): AppPreferences {
    const saved = this.library.preferences();
    const ep = saved.executionProvider;
    return { ...saved, executionProvider: (EXECUTION_PROVIDER_CHOICES as readonly string[]).includes(ep) ? ep : 'auto' };
  }

  view(): PreferencesView {
    const overriddenBy: PreferencesView['overriddenBy'] = {};
    if (process.env.SHOTLINE_FFMPEG) overriddenBy.ffmpegPath = 'SHOTLINE_FFMPEG';
    if (process.env.SHOTLINE_EP && this.read().executionProvider === 'auto') overriddenBy.executionProvider = 'SHOTLINE_EP';
    return {
      preferences: this.read(),
      engine: { kind: this.engine.kind, version: this.engine.version, path: this.engine.path },
      modelDirs: this.registry.local.modelDirs(),
      overriddenBy,
    };
  }

  /** Check every given value first, then save them all: a refused patch changes nothing. */
  async update(patch: PreferencesPatch): Promise<PreferencesView> {
    const apply: (() => void)[] = [];
    if (patch.ffmpegPath !== undefined) {
      // Whoever sets this makes Shotline run that program: it is checked (run) only once confirmed.
      if (patch.ffmpegPath !== null && patch.confirmFfmpegPath?.trim() !== patch.ffmpegPath.trim()) {
        throw new ShotlineError(
          'confirmation_required',
          `Shotline will run ${patch.ffmpegPath} for every import and export. Type the path a second time to confirm.`,
          'Enter the same path in the confirmation field (only choose a program you trust).',
        );
      }
      const wanted = patch.ffmpegPath === null ? null : path.resolve(patch.ffmpegPath);
      const next = wanted === null ? await selectEngine({}) : await createNativeEngine(await workingFfmpeg(wanted));
      apply.push(() => {
        this.library.setPreference('ffmpegPath', wanted);
        this.engine.swap(next);
      });
    }
    if (patch.userModelsDir !== undefined) {
      const dir = patch.userModelsDir === null ? null : await readableFolder(path.resolve(patch.userModelsDir));
      apply.push(() => this.library.setPreference('userModelsDir', dir));
    }
    if (patch.executionProvider !== undefined) {
      const ep = patch.executionProvider;
      apply.push(() => {
        this.library.setPreference('executionProvider', ep);
        this.registry.local.setExecutionProvider(providerOption(ep));
      });
    }
    for (const fn of apply) fn();
    return this.view();
  }
}

function providerOption(choice: ExecutionProviderChoice): string | null {
  return choice === 'auto' ? null : choice;
}

async function workingFfmpeg(file: string) {
  const st = await fs.promises.stat(file).catch(() => null);
  if (!st)
    throw new ShotlineError('invalid_input', `There is no file at "${file}".`, 'Choose the ffmpeg program itself (for example /usr/bin/ffmpeg), or clear the field to let Shotline find one.');
  const found = await findNativeFfmpeg({ ffmpegPath: file });
  if (!found || found.source !== 'setting')
    throw new ShotlineError(
      'invalid_input',
      `"${file}" is not a working ffmpeg (it ${st.isDirectory() ? 'is a folder' : 'did not run and print an ffmpeg version'}).`,
      'Choose the ffmpeg program itself (for example /usr/bin/ffmpeg), or clear the field to let Shotline find one.',
    );
  return found;
}

async function readableFolder(dir: string): Promise<string> {
  const st = await fs.promises.stat(dir).catch(() => null);
  if (!st) throw new ShotlineError('invalid_input', `The models folder "${dir}" does not exist.`, 'Choose an existing folder that holds model packs (one sub-folder per pack).');
  if (!st.isDirectory()) throw new ShotlineError('invalid_input', `"${dir}" is a file, not a folder.`, 'Choose the folder that holds your model packs.');
  try {
    await fs.promises.access(dir, fs.constants.R_OK | fs.constants.X_OK);
  } catch {
    throw new ShotlineError('invalid_input', `The models folder "${dir}" cannot be read.`, 'Check its permissions, or choose another folder.');
  }
  return dir;
}
