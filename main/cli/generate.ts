/**
 * `shotline generate`: one clip straight to a file, or takes for a shot of a project.
 *
 *   shotline generate --prompt TEXT --out FILE.mp4 [--backend ID] [--model PACK] [--seed N]
 *                     [--image REF] [--remix CLIP --strength S] [--steps N] [--guidance G]
 *                     [--duration S] [--provider EP]
 *   shotline generate PROJECT --shot ID [--takes N] [--seed N] [--backend ID] [--model PACK]
 *                     [--steps N] [--guidance G]
 *
 * Progress goes to stderr; the result to stdout. Ctrl-C cancels (within one denoising step).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ShotlineError } from '../../app/errors.js';
import { assertValidRequest, type GenerationRequest } from '../../app/generation/request.js';
import type { ResolvedInputs } from '../../app/generation/types.js';
import { TERMINAL_STATES, type Job } from '../../app/jobs/types.js';
import { inProcessClient } from '../bridge/in-process.js';
import { sha256File } from '../media/hash.js';
import { probeMedia } from '../media/probe.js';
import { checkOutputTarget, folderNotWritable } from '../export/preflight.js';
import type { GenerateJobResult } from '../../app/generation/jobs.js';
import { randomSeed } from '../generation/service.js';
import { ShotlineServices } from '../services/shotline.js';
import { createProgressBar } from './progress-bar.js';

export { GENERATE_USAGE } from './usage.js';

function num(name: string, v: string | undefined, opts: { int?: boolean; min?: number; max?: number } = {}): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (opts.int && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
    const range = opts.min !== undefined && opts.max !== undefined ? ` from ${opts.min} to ${opts.max}` : '';
    throw new ShotlineError('invalid_input', `--${name} must be a ${opts.int ? 'whole ' : ''}number${range} (got "${v}").`);
  }
  return n;
}

export async function generateCmd(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      prompt: { type: 'string' },
      out: { type: 'string' },
      backend: { type: 'string' },
      model: { type: 'string' },
      seed: { type: 'string' },
      image: { type: 'string' },
      remix: { type: 'string' },
      strength: { type: 'string' },
      steps: { type: 'string' },
      guidance: { type: 'string' },
      duration: { type: 'string' },
      provider: { type: 'string' },
      shot: { type: 'string' },
      takes: { type: 'string' },
    },
  });
  if (values.provider) process.env.SHOTLINE_EP = values.provider;
  if (positionals[0]) return generateForShot(positionals[0], values);
  if (values.prompt === undefined || !values.out)
    throw new ShotlineError('invalid_input', 'Usage: shotline generate --prompt TEXT --out FILE.mp4 (or: shotline generate PROJECT --shot ID)');
  // The output is checked first: a missing or unwritable folder must not cost a generation.
  const out = path.resolve(values.out);
  await checkOutputTarget(out, true);
  await fs.promises.access(path.dirname(out), fs.constants.W_OK).catch((e: unknown) => {
    throw folderNotWritable(path.dirname(out), e);
  });
  const services = await ShotlineServices.create({ transport: 'in-process' });
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    const backend = await services.generation.registry.resolve(values.backend, values.model);
    const caps = backend.capabilities;
    const seed = num('seed', values.seed, { int: true, min: 0, max: 4294967295 }) ?? randomSeed();
    const strength = num('strength', values.strength, { min: 0, max: 1 });
    const raw: GenerationRequest = {
      task: values.remix ? 'video-to-video' : values.image ? 'image-to-video' : 'text-to-video',
      prompt: values.prompt,
      seed,
      ...(values.steps !== undefined ? { steps: num('steps', values.steps, { int: true }) } : {}),
      ...(values.guidance !== undefined ? { guidance: num('guidance', values.guidance) } : {}),
      durationSeconds: num('duration', values.duration) ?? caps.durations[0] ?? 0,
      size: caps.sizes[0] ?? { width: 0, height: 0 },
      ...(values.image ? { referenceImage: { path: path.resolve(values.image) } } : {}),
      ...(values.remix ? { remix: { source: { path: path.resolve(values.remix) }, strength: strength ?? 0.6 } } : {}),
    };
    // Validate before touching any file, so bad input is answered at once.
    assertValidRequest(caps, raw);
    const inputs: ResolvedInputs = {};
    const fileInput = async (p: string, what: string) => {
      if (!fs.existsSync(p)) throw new ShotlineError('not_found', `The ${what} ${p} does not exist.`);
      return { path: p, sha256: await sha256File(p), name: path.basename(p) };
    };
    if (values.image) inputs.referenceImage = await fileInput(path.resolve(values.image), 'reference image');
    if (values.remix) {
      const src = await fileInput(path.resolve(values.remix), 'clip to remix');
      const probed = await probeMedia(src.path, services.engine);
      if (probed.kind !== 'video') throw new ShotlineError('invalid_input', `${src.name} is not a video, so it cannot be remixed.`);
      inputs.remixSource = { ...src, durationSeconds: probed.probe.durationFlicks / 705_600_000 };
    }
    const bar = createProgressBar(process.stderr, 'Generating');
    const res = await backend.generate(raw, inputs, { outPath: out, signal: ac.signal, onProgress: (p) => bar.update(p.fraction, p.etaSeconds, p.message) });
    const pv = res.provenance;
    bar.done(`Wrote ${out}`);
    process.stdout.write(
      `${out}: ${pv.size.width}x${pv.size.height}, ${pv.durationSeconds} s at ${pv.fps} fps; ${backend.id} ${pv.model.name}@${pv.model.version} on ${pv.executionProvider}; ` +
        `seed ${pv.seed}, ${pv.steps} steps, guidance ${pv.guidance}; ${pv.secondsTaken.toFixed(2)} s\n`,
    );
  } catch (e) {
    if (ac.signal.aborted) throw new ShotlineError('canceled', 'Generation canceled; nothing was written.');
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
    await services.shutdown();
  }
}

async function generateForShot(project: string, values: Record<string, string | undefined>): Promise<void> {
  if (!values.shot) throw new ShotlineError('invalid_input', 'Usage: shotline generate PROJECT --shot ID [--takes N]');
  const services = await ShotlineServices.create({ transport: 'in-process' });
  const client = inProcessClient(services);
  try {
    await client.call('project.open', { dir: path.resolve(project) });
    const bar = createProgressBar(process.stderr, 'Generating');
    const progress = new Map<string, number>();
    const eta = new Map<string, number | null>();
    let ids: string[] = [];
    const settled = new Map<string, Job>();
    let finish: () => void = () => {};
    const allDone = new Promise<void>((r) => (finish = r));
    const check = () => {
      if (ids.length && ids.every((id) => settled.has(id))) finish();
    };
    services.subscribe((e) => {
      if (e.type !== 'job.updated' || e.job.kind !== 'generate') return;
      progress.set(e.job.id, e.job.state === 'succeeded' ? 1 : e.job.progress);
      eta.set(e.job.id, e.job.etaSeconds);
      if (TERMINAL_STATES.includes(e.job.state)) settled.set(e.job.id, e.job);
      if (!ids.includes(e.job.id)) return;
      const total = ids.reduce((s, id) => s + (progress.get(id) ?? 0), 0) / ids.length;
      const running = ids.find((id) => !settled.has(id));
      bar.update(total, running ? (eta.get(running) ?? null) : 0, `${settled.size}/${ids.length} takes`);
      check();
    });
    const jobs = await client.call('generation.start', {
      shotId: values.shot,
      takes: num('takes', values.takes, { int: true, min: 1, max: 4 }) ?? 1,
      ...(values.seed !== undefined ? { seed: num('seed', values.seed, { int: true, min: 0, max: 4294967295 }) } : {}),
      ...(values.backend ? { backendId: values.backend } : {}),
      ...(values.model ? { model: values.model } : {}),
      ...(values.steps !== undefined ? { steps: num('steps', values.steps, { int: true }) } : {}),
      ...(values.guidance !== undefined ? { guidance: num('guidance', values.guidance) } : {}),
    });
    ids = jobs.map((j) => j.id);
    for (const j of await client.call('jobs.list', {})) if (ids.includes(j.id) && TERMINAL_STATES.includes(j.state)) settled.set(j.id, j);
    check();
    process.once('SIGINT', () => {
      for (const id of ids) void client.call('jobs.cancel', { jobId: id }).catch(() => {});
    });
    await allDone;
    const done = ids.map((id) => settled.get(id)!);
    bar.done(`${done.filter((j) => j.state === 'succeeded').length} of ${done.length} takes generated`);
    const snap = await client.call('project.snapshot', {});
    for (const j of done) {
      if (j.state === 'succeeded') {
        const r = j.result as GenerateJobResult;
        const take = snap.state.takes[r.takeId];
        const asset = snap.state.assets[r.assetId];
        process.stdout.write(`${take?.label ?? r.takeId}: seed ${r.seed}${r.cached ? ' (cached)' : ''} -> ${asset ? path.join(snap.dir, asset.path) : r.assetId}\n`);
      } else {
        process.stdout.write(`${j.title}: ${j.state}${j.error ? ` - ${j.error.message}` : ''}\n`);
      }
    }
    const failed = done.find((j) => j.state !== 'succeeded');
    if (failed) throw new ShotlineError(failed.error?.code ?? 'canceled', failed.error?.message ?? 'Generation canceled.', failed.error?.hint);
  } finally {
    await services.shutdown();
  }
}
