/**
 * `POST /v1/audio/speech` on `shotline serve`, backed by a speech backend (the built-in
 * espeak-ng voice): the protocol local TTS servers (Kokoro-FastAPI, LocalAI, …) and OpenAI
 * speak. Body (JSON): `model` (required), `input` (required, ≤ 4096 characters), `voice`
 * (required: OpenAI's names alloy, ash, … map to espeak-ng voices; espeak-ng ids such as
 * "en-us+f3" work too), `response_format` mp3 (default) | opus | aac | flac | wav | pcm,
 * `speed` (1 = normal; the backend's range). Audio as OpenAI sends it: 24 kHz mono (pcm:
 * raw s16le). Errors in the protocol's shape `{error:{message,type,param,code}}` (http-server.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import type { SpeechBackend, SpeechCapabilities } from '../../app/speech/types.js';
import { makeScratchDir } from '../backends/media-io.js';
import type { FfmpegEngine } from '../media/engine.js';
import { ApiFailure, type AudioSpeechRoute } from './http-server.js';

/** Model ids accepted: ours, and OpenAI's (so clients with a fixed model name work). */
export const SPEECH_MODEL_ALIASES = ['tts-1', 'tts-1-hd', 'gpt-4o-mini-tts'];
const MAX_INPUT = 4096;
const RATE = 24_000;

/** OpenAI's voice names → espeak-ng voices (timbres spread over its variants). */
export const OPENAI_VOICE_MAP: Record<string, string> = {
  alloy: 'en-us',
  ash: 'en-us+m3',
  ballad: 'en+m1',
  coral: 'en-us+f3',
  echo: 'en-us+m1',
  fable: 'en',
  nova: 'en-us+f2',
  onyx: 'en-us+m7',
  sage: 'en+f2',
  shimmer: 'en-us+f4',
  verse: 'en-us+m2',
};

const FORMATS: Record<string, { args: string[]; type: string }> = {
  mp3: { args: ['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'], type: 'audio/mpeg' },
  opus: { args: ['-c:a', 'libopus', '-b:a', '32k', '-f', 'ogg'], type: 'audio/ogg' },
  aac: { args: ['-c:a', 'aac', '-b:a', '64k', '-f', 'adts'], type: 'audio/aac' },
  flac: { args: ['-c:a', 'flac', '-f', 'flac'], type: 'audio/flac' },
  wav: { args: ['-c:a', 'pcm_s16le', '-f', 'wav'], type: 'audio/wav' },
  pcm: { args: ['-c:a', 'pcm_s16le', '-f', 's16le'], type: 'audio/pcm' },
};


/** A voice id of the backend, from an OpenAI name or one of its own ids. */
function voiceOf(caps: SpeechCapabilities, v: string): string | null {
  const mapped = OPENAI_VOICE_MAP[v.toLowerCase()] ?? v;
  return caps.voices.some((x) => x.id === mapped) ? mapped : null;
}

export function createSpeechRoute(backend: SpeechBackend, engine: FfmpegEngine): AudioSpeechRoute {
  const caps = backend.capabilities;
  const modelIds = [backend.id, ...SPEECH_MODEL_ALIASES];
  const bad = (message: string, param: string | null, code = 'invalid_value') => new ApiFailure(400, message, 'invalid_request_error', param, code);
  return {
    models: () =>
      modelIds.map((id) => ({
        id,
        object: 'model',
        created: 0,
        owned_by: 'shotline',
        // Shotline's own field (other clients ignore it): what the voice can do.
        speech: { voices: [...Object.keys(OPENAI_VOICE_MAP), ...caps.voices.map((v) => v.id)], speed: caps.speed, maxChars: Math.min(MAX_INPUT, caps.maxChars), timings: caps.timings, voiceCloning: caps.voiceCloning },
      })),
    async handle(req, res, f) {
      if (typeof f.model !== 'string' || !f.model) throw bad("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
      if (!modelIds.includes(f.model)) throw new ApiFailure(400, `The model '${f.model}' does not exist here. Available: ${modelIds.join(', ')}.`, 'invalid_request_error', 'model', 'model_not_found');
      if (typeof f.input !== 'string' || !f.input.trim()) throw bad("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
      if (f.input.length > MAX_INPUT) throw bad(`'input' is longer than ${MAX_INPUT} characters.`, 'input', 'string_above_max_length');
      if (typeof f.voice !== 'string' || !f.voice) throw bad("Missing required parameter: 'voice'.", 'voice', 'missing_required_parameter');
      const voice = voiceOf(caps, f.voice);
      if (!voice) throw bad(`Unknown voice '${f.voice}'. Use one of OpenAI's names (${Object.keys(OPENAI_VOICE_MAP).join(', ')}) or an espeak-ng voice id (see /v1/models).`, 'voice');
      const format = f.response_format === undefined ? 'mp3' : String(f.response_format);
      const out = FORMATS[format];
      if (!out) throw bad(`Unsupported response_format '${format}'. Supported: ${Object.keys(FORMATS).join(', ')}.`, 'response_format');
      if (f.stream_format !== undefined && f.stream_format !== 'audio') throw bad(`Unsupported stream_format '${String(f.stream_format)}'; this server sends the whole file ('audio').`, 'stream_format');
      const speed = f.speed === undefined ? 1 : Number(f.speed);
      if (!Number.isFinite(speed) || speed < caps.speed.min || speed > caps.speed.max)
        throw bad(`Invalid speed ${String(f.speed)}: this voice speaks from ${caps.speed.min.toFixed(2)} to ${caps.speed.max.toFixed(2)}.`, 'speed');

      const ac = new AbortController();
      // A client that goes away stops the synthesis.
      res.once('close', () => ac.abort());
      const scratch = await makeScratchDir('shotline-serve-');
      try {
        const wav = path.join(scratch.dir, 'voice.wav');
        try {
          await backend.synthesize({ text: f.input, voice, speed }, { outPath: wav, signal: ac.signal });
        } catch (e) {
          if (e instanceof ShotlineError && e.code === 'invalid_input') throw bad(e.message, 'input');
          throw e;
        }
        const file = path.join(scratch.dir, `out.${format}`);
        await engine.run({ args: ['-hide_banner', '-nostdin', '-y', '-i', wav, '-ar', String(RATE), '-ac', '1', ...out.args, file], signal: ac.signal });
        const data = await fs.promises.readFile(file);
        res.writeHead(200, { 'content-type': out.type, 'content-length': data.length, 'cache-control': 'no-store' });
        res.end(data);
      } finally {
        await scratch.cleanup();
      }
    },
  };
}
