/**
 * The speech backends this machine offers: the built-in espeak-ng voice (when installed) and
 * one backend per `openai-speech` endpoint (`openai-speech:<endpoint id>`), plus the
 * connection test behind "Test" in Preferences for that kind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import { ESPEAK_ID, type SpeechBackend, type SpeechBackendInfo } from '../../app/speech/types.js';
import { makeScratchDir } from '../backends/media-io.js';
import type { EndpointService, ProbeResult } from '../endpoints/service.js';
import type { FfmpegEngine } from '../media/engine.js';
import type { EndpointRow } from '../store/endpoint-rows.js';
import { EspeakBackend } from './espeak.js';
import { OPENAI_SPEECH_CAPABILITIES, OPENAI_SPEECH_KIND, OpenAiSpeechBackend } from './openai-speech.js';

export class SpeechRegistry {
  private espeak: Promise<EspeakBackend> | null = null;

  constructor(
    private readonly endpoints: EndpointService,
    private readonly engine: FfmpegEngine,
  ) {}

  /** espeak-ng, looked up once (a failed lookup is tried again next time: it may have been installed meanwhile). */
  private builtIn(): Promise<EspeakBackend> {
    this.espeak ??= EspeakBackend.create().catch((e: unknown) => {
      this.espeak = null;
      throw e;
    });
    return this.espeak;
  }

  async list(): Promise<SpeechBackendInfo[]> {
    const out: SpeechBackendInfo[] = [];
    try {
      const e = await this.builtIn();
      out.push({ id: e.id, label: e.label, status: 'ready', message: `espeak-ng ${e.version}`, capabilities: e.capabilities });
    } catch (err) {
      const e = err instanceof ShotlineError ? err : new ShotlineError('unsupported', String(err));
      out.push({ id: ESPEAK_ID, label: 'espeak-ng (built-in voice)', status: 'missing', message: [e.message, e.hint].filter(Boolean).join(' '), capabilities: { voices: [], speed: { min: 1, max: 1 }, maxChars: 0, timings: 'line', voiceCloning: false } });
    }
    for (const row of this.endpoints.rows.list()) {
      if (row.kind !== OPENAI_SPEECH_KIND) continue;
      const failed = row.lastCheck && !row.lastCheck.ok ? row.lastCheck : null;
      out.push({ id: `${OPENAI_SPEECH_KIND}:${row.id}`, label: row.name, status: failed ? 'error' : 'ready', ...(failed ? { message: failed.message } : {}), capabilities: OPENAI_SPEECH_CAPABILITIES });
    }
    return out;
  }

  async resolve(id: string | null | undefined): Promise<SpeechBackend> {
    if (!id || id === ESPEAK_ID) return this.builtIn();
    if (!id.startsWith(`${OPENAI_SPEECH_KIND}:`))
      throw new ShotlineError('not_found', `There is no speech backend "${id}".`, 'Use the built-in voice (espeak-ng) or a speech endpoint added in Preferences → Endpoints.');
    const row = this.endpoints.require(id.slice(OPENAI_SPEECH_KIND.length + 1));
    if (row.kind !== OPENAI_SPEECH_KIND) throw new ShotlineError('invalid_input', `"${row.name}" is a ${row.kind} endpoint, not a speech endpoint.`);
    return new OpenAiSpeechBackend(row, this.endpoints.apiKey(row), this.engine);
  }
}

/** "Test connection" for a speech endpoint: speak a short line and check audio came back. */
export async function probeOpenAiSpeech(row: EndpointRow, apiKey: string | null, engine: FfmpegEngine, signal: AbortSignal): Promise<ProbeResult> {
  const backend = new OpenAiSpeechBackend(row, apiKey, engine, { maxRetries: 1, timeoutMs: 15_000 });
  const scratch = await makeScratchDir('shotline-remote-');
  try {
    const r = await backend.synthesize({ text: 'Testing, one two three.', voice: null, speed: 1 }, { outPath: path.join(scratch.dir, 'probe.wav'), signal });
    if (!fs.existsSync(r.path) || !r.timings.length) throw new ShotlineError('unsupported', `"${row.name}" answered, but its audio was silent.`);
    return { message: `Connected to ${row.baseUrl}: it spoke a ${r.durationSeconds.toFixed(1)} s test line.`, capabilities: null };
  } finally {
    await scratch.cleanup();
  }
}
