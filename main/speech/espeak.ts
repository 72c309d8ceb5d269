/**
 * The built-in voice: espeak-ng (a Debian/Homebrew package, offline, tiny). Text goes in as a
 * file (`-f`, never as an argument, so a line starting with "-" is still just text); the WAV is
 * written beside the target and renamed into place. Every run goes through the supervisor
 * (main/media/supervised.ts): its own process group, killed whole on cancel, a time limit, and
 * it dies with Shotline. espeak-ng reports no word times, so the
 * timing is the line's: where the speech starts and ends in the samples.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ShotlineError } from '../../app/errors.js';
import { ESPEAK_ID, speechBounds, validateSpeechRequest, type SpeechBackend, type SpeechCapabilities, type SpeechOptions, type SpeechRequest, type SpeechResult, type SpeechVoice } from '../../app/speech/types.js';
import { execSupervised } from '../media/supervised.js';
import { readWav } from './wav.js';

/** The longest line (4000 characters) takes a few seconds; a run past this is hung. */
const RUN_LIMIT_MS = 120_000;
const QUERY = { timeoutMs: 10_000, maxBuffer: 1 << 20 };

/** stdout of a short query, or null when espeak-ng cannot be run or fails. */
async function query(bin: string, args: string[]): Promise<string | null> {
  try {
    const r = await execSupervised(bin, args, QUERY);
    return r.code === 0 ? r.stdout : null;
  } catch {
    return null;
  }
}

/** espeak-ng's normal rate, words per minute; speed 1 = this. */
const BASE_WPM = 175;
/** espeak-ng accepts 80–450 wpm. */
const SPEED = { min: 80 / BASE_WPM, max: 450 / BASE_WPM };

/** A few English voices with espeak-ng's variants (female/male timbres), first the default. */
const CURATED: SpeechVoice[] = [
  { id: 'en-us', label: 'English (US)' },
  { id: 'en-us+f2', label: 'English (US), female 2' },
  { id: 'en-us+f3', label: 'English (US), female 3' },
  { id: 'en-us+f4', label: 'English (US), female 4' },
  { id: 'en-us+m1', label: 'English (US), male 1' },
  { id: 'en-us+m2', label: 'English (US), male 2' },
  { id: 'en-us+m3', label: 'English (US), male 3' },
  { id: 'en-us+m7', label: 'English (US), male 7' },
  { id: 'en', label: 'English (UK)' },
  { id: 'en+f2', label: 'English (UK), female' },
  { id: 'en+m1', label: 'English (UK), male' },
];

export const ESPEAK_MISSING_HINT =
  'Install espeak-ng (Debian/Ubuntu: sudo apt install espeak-ng; Fedora: sudo dnf install espeak-ng; macOS: brew install espeak-ng; Windows: the installer from github.com/espeak-ng/espeak-ng/releases), or set SHOTLINE_ESPEAK to its path.';

export function espeakBinary(): string {
  return process.env.SHOTLINE_ESPEAK || 'espeak-ng';
}

/** espeak-ng's version line, or null when it cannot be run. */
export async function espeakVersion(bin = espeakBinary()): Promise<string | null> {
  const stdout = await query(bin, ['--version']);
  if (stdout === null) return null;
  const m = /eSpeak NG text-to-speech:\s*([^\s]+)/.exec(stdout);
  return m ? m[1]! : stdout.trim().split('\n')[0] || null;
}

/** The languages espeak-ng has (from `--voices`), after the curated English variants. */
async function listVoices(bin: string): Promise<SpeechVoice[]> {
  const out = (await query(bin, ['--voices'])) ?? '';
  const voices = [...CURATED];
  for (const line of out.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const lang = cols[1];
    const name = cols[3];
    if (!lang || !name || voices.some((v) => v.id === lang)) continue;
    voices.push({ id: lang, label: name.replace(/_/g, ' ') });
  }
  return voices;
}

export class EspeakBackend implements SpeechBackend {
  readonly id = ESPEAK_ID;
  readonly label = 'espeak-ng (built-in voice)';

  private constructor(
    readonly bin: string,
    readonly version: string,
    readonly capabilities: SpeechCapabilities,
  ) {}

  /** The backend, or a clear error saying how to install espeak-ng. */
  static async create(bin = espeakBinary()): Promise<EspeakBackend> {
    const version = await espeakVersion(bin);
    if (!version) throw new ShotlineError('unsupported', `The built-in voice needs espeak-ng, which was not found (tried "${bin}").`, ESPEAK_MISSING_HINT);
    const voices = await listVoices(bin);
    return new EspeakBackend(bin, version, { voices, speed: SPEED, maxChars: 4000, timings: 'line', voiceCloning: false });
  }

  async synthesize(req: SpeechRequest, opts: SpeechOptions): Promise<SpeechResult> {
    validateSpeechRequest(this.capabilities, req, this.label);
    if (opts.signal?.aborted) throw new ShotlineError('canceled', 'Speech canceled.');
    const stem = path.join(path.dirname(opts.outPath), `.${path.basename(opts.outPath)}.partial-${randomBytes(4).toString('hex')}`);
    const tmp = `${stem}.wav`;
    const textFile = `${stem}.txt`;
    const wpm = String(Math.round(BASE_WPM * req.speed));
    try {
      await fs.promises.writeFile(textFile, req.text.trim(), { flag: 'wx' });
      await this.run(['-v', req.voice ?? CURATED[0]!.id, '-s', wpm, '-w', tmp, '-f', textFile], opts.signal);
      const wav = readWav(await fs.promises.readFile(tmp), 'espeak-ng’s output');
      if (!wav.samples.length) throw new ShotlineError('internal', 'espeak-ng wrote no audio for that line.');
      await fs.promises.rename(tmp, opts.outPath);
      const b = speechBounds(wav.samples, wav.channels, wav.sampleRate);
      return { path: opts.outPath, durationSeconds: wav.durationSeconds, sampleRate: wav.sampleRate, timings: b ? [{ text: req.text.trim(), start: b.start, end: b.end }] : [] };
    } finally {
      await fs.promises.rm(tmp, { force: true });
      await fs.promises.rm(textFile, { force: true });
    }
  }

  private async run(args: string[], signal?: AbortSignal): Promise<void> {
    let r;
    try {
      r = await execSupervised(this.bin, args, { timeoutMs: RUN_LIMIT_MS, maxBuffer: 1 << 20, ...(signal ? { signal } : {}) });
    } catch (e) {
      throw new ShotlineError('unsupported', `espeak-ng could not be started: ${(e as Error).message}`, ESPEAK_MISSING_HINT);
    }
    if (signal?.aborted) throw new ShotlineError('canceled', 'Speech canceled.');
    if (r.killed === 'timeout') throw new ShotlineError('internal', `espeak-ng ran for more than ${RUN_LIMIT_MS / 1000} s on one line and was stopped.`, 'Try a shorter line, or check that espeak-ng works from a terminal.');
    if (r.code !== 0) throw new ShotlineError('internal', `espeak-ng failed (exit ${r.code ?? r.signal}): ${r.stderr.trim().slice(-2000) || 'no message'}`);
  }
}
