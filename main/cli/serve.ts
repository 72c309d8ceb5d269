/**
 * `shotline serve`: this machine's local model packs as an OpenAI-compatible `/v1/videos`
 * server, so another Shotline (or any client of the protocol) can generate on this GPU.
 * Loopback only unless --host says otherwise; a bearer token is always required (a random
 * one is made and printed when --token is not given).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ShotlineError } from '../../app/errors.js';
import { BackendRegistry } from '../backends/registry.js';
import { defaultModelDirs } from '../backends/model-dirs.js';
import { selectEngine } from '../media/select-engine.js';
import { LocalPackMaker } from '../serve/local-maker.js';
import { startVideosServer } from '../serve/http-server.js';
import { createSpeechRoute } from '../serve/speech-route.js';
import { EspeakBackend } from '../speech/espeak.js';

export { SERVE_USAGE } from './usage.js';

export async function serveCmd(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, models: { type: 'string' }, token: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' } } });
  const port = values.port === undefined ? 8720 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ShotlineError('invalid_input', `--port must be a port number from 0 to 65535 (got "${values.port}").`);
  if (values.token !== undefined && values.token.length < 8) throw new ShotlineError('invalid_input', 'The --token must be at least 8 characters long.', 'Leave --token out to get a random one.');
  const token = values.token ?? randomBytes(24).toString('base64url');
  const host = values.host ?? '127.0.0.1';
  const engine = await selectEngine({ ffmpegPath: process.env.SHOTLINE_FFMPEG ?? null });
  const modelsDir = values.models ? path.resolve(values.models) : null;
  const registry = new BackendRegistry({ engine, modelDirs: () => defaultModelDirs(modelsDir) });
  const maker = new LocalPackMaker(registry, engine);
  const models = await maker.models();
  // Speech is served whenever espeak-ng is installed; without it (and without packs) there is nothing to serve.
  let speechError: ShotlineError | null = null;
  const espeak = await EspeakBackend.create().catch((e: unknown) => {
    speechError = e instanceof ShotlineError ? e : null;
    return null;
  });
  if (!models.length && !espeak)
    throw new ShotlineError('not_found', 'No usable local model pack and no espeak-ng were found, so there is nothing to serve.', `Looked for packs in ${registry.local.modelDirs().join(', ')} (point --models at a folder of packs). ${(speechError as ShotlineError | null)?.hint ?? ''}`.trim());
  const speech = espeak ? createSpeechRoute(espeak, engine) : undefined;
  const server = await startVideosServer({ maker, token, host, port, speech, ...(values.data ? { dataDir: path.resolve(values.data) } : {}) });
  if (host !== '127.0.0.1' && host !== '::1' && host !== 'localhost')
    process.stderr.write(`warning: serving on ${host}: anyone who can reach this address and knows the token can generate on this machine.\n`);
  if (models.length) process.stdout.write(`Serving /v1/videos on ${server.url}/v1 (models: ${models.map((m) => m.id).join(', ')})\n`);
  else process.stderr.write('note: no local model pack found; /v1/videos has no models.\n');
  if (espeak) process.stdout.write(`Serving /v1/audio/speech on ${server.url}/v1 (espeak-ng ${espeak.version})\n`);
  else process.stderr.write(`note: /v1/audio/speech is off: ${(speechError as ShotlineError | null)?.message ?? 'espeak-ng not found'}\n`);
  if (values.token === undefined) process.stdout.write(`Token: ${token}\n`);
  const shutdown = async () => {
    await server.close();
    await registry.dispose();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}
