/**
 * An OpenAI-compatible `POST /v1/audio/speech` endpoint as a speech backend (Kokoro-FastAPI,
 * LocalAI, a hosted gateway, OpenAI, or another machine's `shotline serve`), on the official
 * `openai` SDK (`audio.speech.create`). WAV is asked for; whatever comes back is decoded with
 * ffmpeg to 16-bit WAV, so a server that only makes mp3 works too. Voices are the server's
 * own names (OpenAI's alloy, ash, …; Kokoro's af_bella, …): none are checked here, the
 * server's refusal is reported in words. The key comes from the keychain (EndpointService),
 * never from the database, and is never logged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type OpenAI from 'openai';
import { openAiSdk } from '../backends/openai-videos/sdk.js';
import { ShotlineError } from '../../app/errors.js';
import { speechBounds, validateSpeechRequest, type SpeechBackend, type SpeechCapabilities, type SpeechOptions, type SpeechRequest, type SpeechResult } from '../../app/speech/types.js';
import { apiBaseUrl, describeApiError } from '../backends/openai-videos/client.js';
import type { FfmpegEngine } from '../media/engine.js';
import type { EndpointRow } from '../store/endpoint-rows.js';
import { readWav } from './wav.js';

export const OPENAI_SPEECH_KIND = 'openai-speech';
/** Used when the endpoint names no model: what most servers accept. */
export const DEFAULT_SPEECH_MODEL = 'tts-1';
export const DEFAULT_SPEECH_VOICE = 'alloy';

/** The protocol's documented limits (speed 0.25–4, 4096 characters); voices are the server's. */
export const OPENAI_SPEECH_CAPABILITIES: SpeechCapabilities = { voices: [], speed: { min: 0.25, max: 4 }, maxChars: 4096, timings: 'line', voiceCloning: false };

export class OpenAiSpeechBackend implements SpeechBackend {
  readonly id: string;
  readonly label: string;
  readonly capabilities = OPENAI_SPEECH_CAPABILITIES;
  private client: Promise<OpenAI> | null = null;
  private readonly sdkOptions: ConstructorParameters<typeof OpenAI>[0];

  constructor(
    private readonly endpoint: Pick<EndpointRow, 'id' | 'name' | 'baseUrl' | 'model'>,
    apiKey: string | null,
    private readonly engine: FfmpegEngine,
    opts: { maxRetries?: number; timeoutMs?: number } = {},
  ) {
    this.id = `${OPENAI_SPEECH_KIND}:${endpoint.id}`;
    this.label = endpoint.name;
    this.sdkOptions = { baseURL: apiBaseUrl(endpoint.baseUrl), apiKey: apiKey ?? 'no-key', maxRetries: opts.maxRetries ?? 2, timeout: opts.timeoutMs ?? 120_000 };
  }

  async synthesize(req: SpeechRequest, opts: SpeechOptions): Promise<SpeechResult> {
    validateSpeechRequest(this.capabilities, req, `"${this.label}"`);
    const stem = path.join(path.dirname(opts.outPath), `.${path.basename(opts.outPath)}.partial-${randomBytes(4).toString('hex')}`);
    const raw = `${stem}.download`;
    const wavTmp = `${stem}.wav`;
    try {
      let bytes: Buffer;
      try {
        // The SDK loads on first use (backends/openai-videos/sdk.ts).
        this.client ??= openAiSdk().then(({ default: OpenAI }) => new OpenAI(this.sdkOptions));
        const res = await (await this.client).audio.speech.create(
          { model: this.endpoint.model ?? DEFAULT_SPEECH_MODEL, voice: req.voice ?? DEFAULT_SPEECH_VOICE, input: req.text.trim(), response_format: 'wav', speed: req.speed },
          { signal: opts.signal },
        );
        bytes = Buffer.from(await res.arrayBuffer());
      } catch (e) {
        if (opts.signal?.aborted) throw new ShotlineError('canceled', 'Speech canceled.');
        const err = describeApiError(e, this.label);
        throw new ShotlineError(err.code, err.message.replace('Generation canceled.', 'Speech canceled.'), err.hint?.replace('retry the take', 'voice the line again'));
      }
      if (!bytes.length) throw new ShotlineError('unsupported', `"${this.label}" answered with no audio.`);
      await fs.promises.writeFile(raw, bytes);
      // Whatever the server sent (WAV as asked, or mp3/opus from a server that ignores the format): 16-bit WAV.
      await this.engine.run({ args: ['-hide_banner', '-nostdin', '-y', '-i', raw, '-c:a', 'pcm_s16le', '-f', 'wav', wavTmp], signal: opts.signal }).catch((e: unknown) => {
        if (e instanceof ShotlineError && e.code === 'canceled') throw e;
        throw new ShotlineError('unsupported', `"${this.label}" answered with something that is not audio.`, 'Check the endpoint\'s address: it should be a server of the /v1/audio/speech protocol.');
      });
      const wav = readWav(await fs.promises.readFile(wavTmp), `The audio from "${this.label}"`);
      await fs.promises.rename(wavTmp, opts.outPath);
      const b = speechBounds(wav.samples, wav.channels, wav.sampleRate);
      return { path: opts.outPath, durationSeconds: wav.durationSeconds, sampleRate: wav.sampleRate, timings: b ? [{ text: req.text.trim(), start: b.start, end: b.end }] : [] };
    } finally {
      await fs.promises.rm(raw, { force: true });
      await fs.promises.rm(wavTmp, { force: true });
    }
  }
}
