/**
 * Speech backends: text + voice + speed → a WAV file with the timings of what was said.
 * They sit beside the video backends (app/generation): the built-in espeak-ng voice, any
 * OpenAI-compatible `/v1/audio/speech` endpoint, and whatever comes later. Pure types and
 * checks; the implementations live in main/speech/.
 */
import { ShotlineError } from '../errors.js';

/** What a speech backend can do. */
export interface SpeechCapabilities {
  /** Voices it offers (ids as the backend names them); the first is the default. */
  voices: SpeechVoice[];
  /** Speed multiplier range (1 = the voice's normal rate). */
  speed: { min: number; max: number };
  /** Longest input it accepts, in characters. */
  maxChars: number;
  /** 'word' when it reports each word's time, 'line' when only where the speech starts and ends. */
  timings: 'word' | 'line';
  /**
   * Whether it can speak in a voice cloned from a sample (a cameo's voice). A speaker is bound
   * to a cameo's voice only on a backend that declares this, and only where the cameo's consent covers voice.
   */
  voiceCloning: boolean;
}

export interface SpeechVoice {
  id: string;
  label: string;
}

export interface SpeechRequest {
  text: string;
  /** A voice id of the backend (null: its default). */
  voice: string | null;
  /** 1 = normal rate. */
  speed: number;
  /** A sample of the voice to clone (a cameo's voice sample), only on backends with voiceCloning. */
  voiceSample?: { path: string; cameoId: string };
}

/** One timed stretch of the output, in seconds from the start of the file. */
export interface SpeechTiming {
  text: string;
  start: number;
  end: number;
}

export interface SpeechResult {
  /** The WAV written (PCM, mono or stereo, any rate). */
  path: string;
  durationSeconds: number;
  sampleRate: number;
  /** Words (timings 'word') or the whole line (timings 'line'). */
  timings: SpeechTiming[];
}

export interface SpeechOptions {
  /** Where to write the WAV; never left half-written. */
  outPath: string;
  signal?: AbortSignal;
}

export interface SpeechBackend {
  /** 'espeak-ng' or 'openai-speech:<endpoint id>'. */
  readonly id: string;
  readonly label: string;
  readonly capabilities: SpeechCapabilities;
  synthesize(request: SpeechRequest, opts: SpeechOptions): Promise<SpeechResult>;
}

export const ESPEAK_ID = 'espeak-ng';

/** Refuses what no backend should be asked (empty text, absurd speed, text over the limit, an unknown voice). */
export function validateSpeechRequest(caps: SpeechCapabilities, req: SpeechRequest, label: string): void {
  const text = req.text.trim();
  if (!text) throw new ShotlineError('invalid_input', 'There is no text to speak.', 'Write the dialogue line first.');
  if (text.length > caps.maxChars)
    throw new ShotlineError('invalid_input', `The line is ${text.length} characters long; ${label} speaks at most ${caps.maxChars} at once.`, 'Split it into shorter lines.');
  if (!(req.speed >= caps.speed.min && req.speed <= caps.speed.max))
    throw new ShotlineError('invalid_input', `Speed ${req.speed} is outside ${caps.speed.min}–${caps.speed.max} for ${label}.`, 'Use 1 for the normal rate.');
  if (req.voice !== null && caps.voices.length && !caps.voices.some((v) => v.id === req.voice))
    throw new ShotlineError('invalid_input', `${label} has no voice "${req.voice}".`, `Pick one of: ${caps.voices.slice(0, 12).map((v) => v.id).join(', ')}${caps.voices.length > 12 ? ', …' : ''}.`);
  if (req.voiceSample && !caps.voiceCloning)
    throw new ShotlineError('unsupported', `${label} cannot speak in a cloned voice.`, 'Bind the speaker to one of its voices instead, or use a speech endpoint that declares voice cloning.');
}

/**
 * Where speech starts and ends in 16-bit PCM samples (interleaved, `channels`): the first and
 * last sample louder than `threshold` (of full scale). Null for silence. This is a backend's
 * line timing when it reports none of its own.
 */
export function speechBounds(samples: Int16Array, channels: number, sampleRate: number, threshold = 0.01): { start: number; end: number } | null {
  const limit = threshold * 32768;
  let first = -1;
  let last = -1;
  for (let i = 0; i < samples.length; i++) {
    if (Math.abs(samples[i]!) > limit) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return null;
  const frame = (i: number) => Math.floor(i / channels);
  return { start: frame(first) / sampleRate, end: (frame(last) + 1) / sampleRate };
}

/** A speech backend as the UI lists it. */
export interface SpeechBackendInfo {
  id: string;
  label: string;
  /** 'missing': not installed here (espeak-ng); 'error': the endpoint's last test failed. */
  status: 'ready' | 'missing' | 'error';
  message?: string;
  capabilities: SpeechCapabilities;
}
