/**
 * The inference worker: owns the onnxruntime sessions (cached per pack + provider + threads,
 * reused between jobs) and runs the sampling loop off the main thread. Started by client.ts
 * through worker-entry.mjs. One request at a time (the client serialises them).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import type * as Ort from 'onnxruntime-node';
import { serializeError } from '../../app/errors.js';
import { textDim } from '../pack/manifest.js';
import { loadModelPack, MANIFEST_FILE, type ModelPack } from '../pack/load.js';
import { frameToModel, framesToLatent, latentToFrames } from './pixels.js';
import type { FromWorker, LoadInfo, RunnerOptions, ToWorker } from './protocol.js';
import { createSessions, loadOrt, type LoadedSessions } from './providers.js';
import { sample, type SamplerModel } from './sampler.js';
import { WordTokenizer } from './tokenizer.js';

interface Loaded {
  pack: ModelPack;
  sessions: LoadedSessions;
  tokenizer: WordTokenizer;
}

const port = parentPort!;
const cache = new Map<string, Promise<Loaded>>();
const cancelFlags = new Map<number, Int32Array>();

const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

function defaultThreads(): number {
  const env = Number(process.env.SHOTLINE_ORT_THREADS);
  if (Number.isInteger(env) && env > 0) return env;
  return 0; // resolved by the client; 0 here means "onnxruntime's default"
}

/** Sessions are reused per pack folder + provider + threads, and dropped when the pack is re-exported in place. */
function key(packDir: string, o: RunnerOptions): string {
  let stamp = 0;
  try {
    stamp = fs.statSync(path.join(packDir, MANIFEST_FILE)).mtimeMs;
  } catch {
    /* loadModelPack reports it */
  }
  return `${packDir}\0${stamp}\0${o.provider ?? process.env.SHOTLINE_EP ?? 'auto'}\0${o.threads ?? defaultThreads()}`;
}

async function ensureLoaded(packDir: string, o: RunnerOptions): Promise<{ loaded: Loaded; fresh: boolean }> {
  const k = key(packDir, o);
  let p = cache.get(k);
  const fresh = !p;
  if (!p) {
    // A pack re-exported in place: release the sessions of its previous files.
    for (const [other, old] of cache) {
      if (other.startsWith(`${packDir}\0`) && other !== k) {
        cache.delete(other);
        old.then((l) => Promise.all([l.sessions.textEncoder.release(), l.sessions.denoiser.release()])).catch(() => {});
      }
    }
    p = (async () => {
      const pack = await loadModelPack(packDir);
      const sessions = await createSessions(pack, { provider: o.provider ?? null, threads: o.threads ?? defaultThreads() });
      return { pack, sessions, tokenizer: new WordTokenizer(pack.vocab, pack.manifest.tokenizer) };
    })();
    cache.set(k, p);
    p.catch(() => cache.delete(k));
  }
  return { loaded: await p, fresh };
}

function loadInfo(l: Loaded, fresh: boolean): LoadInfo {
  return {
    pack: l.pack.manifest.name,
    provider: l.sessions.provider,
    attempts: l.sessions.attempts,
    threads: l.sessions.threads,
    loadSeconds: l.sessions.loadSeconds,
    fresh,
  };
}

function modelFor(l: Loaded): SamplerModel {
  const ort = loadOrt();
  const m = l.pack.manifest;
  const L = m.tokenizer.max_length;
  const D = textDim(m);
  const [C, F, H, W] = m.latent.shape as [number, number, number, number];
  return {
    async encode(ids, batch) {
      const out = await l.sessions.textEncoder.run({ input_ids: new ort.Tensor('int64', ids, [batch, L]) });
      return (out.text_emb as Ort.Tensor).data as Float32Array;
    },
    async denoise(x, t, emb, cf, cm) {
      const b = t.length; // 2 with guidance, 1 without (sampler.ts)
      const out = await l.sessions.denoiser.run({
        x_t: new ort.Tensor('float32', x, [b, C, F, H, W]),
        t: new ort.Tensor('float32', t, [b]),
        text_emb: new ort.Tensor('float32', emb, [b, D]),
        cond_frame: new ort.Tensor('float32', cf, [b, C, H, W]),
        cond_mask: new ort.Tensor('float32', cm, [b, 1]),
      });
      return (out.v as Ort.Tensor).data as Float32Array;
    },
  };
}

async function generate(msg: Extract<ToWorker, { type: 'generate' }>): Promise<void> {
  const flag = new Int32Array(msg.cancel);
  cancelFlags.set(msg.reqId, flag);
  try {
    const t0 = performance.now();
    const { loaded, fresh } = await ensureLoaded(msg.packDir, msg.options);
    const m = loaded.pack.manifest;
    const { frames: F, height: H, width: W } = m;
    const p = msg.params;
    const res = await sample(
      modelFor(loaded),
      {
        frames: F,
        height: H,
        width: W,
        textDim: textDim(m),
        schedule: m.scheduler,
        uncondPrompt: m.guidance.uncond_prompt,
        tokenizer: loaded.tokenizer,
      },
      {
        prompt: p.prompt,
        seed: p.seed,
        steps: p.steps,
        guidance: p.guidance,
        condFrame: p.condFrame ? frameToModel(p.condFrame, H, W) : null,
        init: p.init ? { x0: framesToLatent(p.init.frames, F, H, W), strength: p.init.strength } : null,
      },
      {
        shouldStop: () => Atomics.load(flag, 0) !== 0,
        onStep: (step, total) => post({ type: 'progress', reqId: msg.reqId, step, total, elapsedSeconds: (performance.now() - t0) / 1000 }),
      },
    );
    const frames = latentToFrames(res.x, F, H, W);
    const latent = p.returnLatent ? res.x : null;
    post(
      {
        type: 'done',
        reqId: msg.reqId,
        frames,
        latent,
        stats: {
          provider: loaded.sessions.provider,
          seconds: (performance.now() - t0) / 1000,
          denoiseSeconds: res.denoiseSeconds,
          stepsRun: res.stepsRun,
          timesteps: res.timesteps,
        },
        load: loadInfo(loaded, fresh),
      },
      latent ? [frames.buffer as ArrayBuffer, latent.buffer as ArrayBuffer] : [frames.buffer as ArrayBuffer],
    );
  } finally {
    cancelFlags.delete(msg.reqId);
  }
}

port.on('message', (msg: ToWorker) => {
  const fail = (e: unknown) => post({ type: 'error', reqId: msg.reqId, error: serializeError(e) });
  switch (msg.type) {
    case 'load':
      ensureLoaded(msg.packDir, msg.options).then(({ loaded, fresh }) => post({ type: 'loaded', reqId: msg.reqId, info: loadInfo(loaded, fresh) }), fail);
      break;
    case 'generate':
      generate(msg).catch(fail);
      break;
    case 'cancel':
      if (cancelFlags.has(msg.reqId)) Atomics.store(cancelFlags.get(msg.reqId)!, 0, 1);
      break;
    case 'unload': {
      const all = [...cache.values()];
      cache.clear();
      Promise.allSettled(all.map((p) => p.then((l) => Promise.all([l.sessions.textEncoder.release(), l.sessions.denoiser.release()]))))
        .then(() => post({ type: 'unloaded', reqId: msg.reqId }))
        .catch(fail);
      break;
    }
  }
});
