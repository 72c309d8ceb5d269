"""Reference DDIM sampler with classifier-free guidance: the specification the TypeScript runner reproduces.

    /usr/bin/python3 native/training/reference_sampler.py --ckpt native/training/runs/small/final.pt \
        --prompt "a red circle moves to the left on a dark background" --seed 42 --steps 20 --out clip.png

Algorithm (all float32 tensors, scalars computed in float64):
  1. ids = tokenize(prompt) and tokenize("") (word-level, see manifest.tokenizer).
  2. emb = text_encoder(ids) for [prompt, ""] in one batch of 2.
  3. x = noise(seed): N = 3*F*H*W standard normals from mulberry32 + Box-Muller (below), C order of [1,3,F,H,W].
  4. timesteps (trailing spacing): t_i = floor((S - i) * T / S) - 1, i = 0..S-1  (S=20, T=1000: 999, 949, ..., 49)
     abar(t) = cos(((t+1)/T + s)/(1+s) * pi/2)^2 / cos(s/(1+s) * pi/2)^2, s = 0.008, clamped to [0, 1];
     abar(-1) = 1 (the step after the last).
  5. for each t_i: run the denoiser once with batch 2 = [x, x], t = [t_i, t_i], text_emb = [emb_prompt, emb_empty],
     cond_frame/cond_mask identical in both rows (zeros/0 for text-to-video);
       v = v_uncond + g * (v_cond - v_uncond)
       a = abar(t_i), a' = abar(t_{i+1})
       x0 = clip(sqrt(a) * x - sqrt(1-a) * v, -1, 1)
       eps = sqrt(1-a) * x + sqrt(a) * v
       x = sqrt(a') * x0 + sqrt(1-a') * eps
  6. frames = uint8(clip((x + 1) * 127.5 + 0.5, 0, 255)) with layout [F, H, W, 3] (RGB).

Noise PRNG (identical in TypeScript; all arithmetic on uint32 with wrap-around):
    state = seed >>> 0
    next(): state = (state + 0x6D2B79F5) >>> 0
            t = imul(state ^ (state >>> 15), state | 1)
            t = ((t + imul(t ^ (t >>> 7), t | 61)) >>> 0) ^ t
            return (t ^ (t >>> 14)) >>> 0
    uniform(): (next() + 0.5) / 4294967296            # in (0, 1), float64
    normals, in pairs: u1 = uniform(), u2 = uniform(), r = sqrt(-2 ln u1),
                       z0 = r cos(2 pi u2), z1 = r sin(2 pi u2)  -> appended z0 then z1, rounded to float32.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
from model import T2V, alphas_cumprod  # noqa: E402

T_TRAIN = 1000


def mulberry32_uint32(seed: int, n: int) -> np.ndarray:
    """The first n outputs of mulberry32(seed) as uint32 (vectorised: the state is seed + k*0x6D2B79F5)."""
    k = np.arange(1, n + 1, dtype=np.uint64)
    state = ((np.uint64(seed & 0xFFFFFFFF) + k * np.uint64(0x6D2B79F5)) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    with np.errstate(over="ignore"):
        t = (state ^ (state >> np.uint32(15))) * (state | np.uint32(1))
        t = (t + (t ^ (t >> np.uint32(7))) * (t | np.uint32(61))) ^ t
        return t ^ (t >> np.uint32(14))


def gaussian_noise(seed: int, n: int) -> np.ndarray:
    m = n + (n & 1)
    u = (mulberry32_uint32(seed, m).astype(np.float64) + 0.5) / 4294967296.0
    u1, u2 = u[0::2], u[1::2]
    r = np.sqrt(-2.0 * np.log(u1))
    z = np.empty(m, np.float64)
    z[0::2] = r * np.cos(2.0 * np.pi * u2)
    z[1::2] = r * np.sin(2.0 * np.pi * u2)
    return z[:n].astype(np.float32)


def ddim_timesteps(steps: int, T: int = T_TRAIN) -> list[int]:
    return [((steps - i) * T) // steps - 1 for i in range(steps)]


def abar_at(t: int, table=None) -> float:
    if t < 0:
        return 1.0
    table = alphas_cumprod(T_TRAIN) if table is None else table
    return float(table[t])


class TorchBackend:
    """Runs the checkpoint's EMA weights (optionally rounded to fp16 exactly as the exported pack stores them)."""

    def __init__(self, ckpt_path: str, fp16_weights: bool = True, threads: int = 1):
        torch.set_num_threads(threads)
        ck = torch.load(ckpt_path, map_location="cpu")
        self.cfg = ck["config"]
        dataset.OBJECT_SCALE = self.cfg.get("obj_scale", 1.0)  # ground-truth / i2v clips as the model saw them
        self.vocab = ck["vocab"]
        self.tok = dataset.Tokenizer(self.vocab, self.cfg["max_len"])
        self.model = T2V(self.cfg, len(self.vocab["tokens"]), self.tok.pad_id)
        self.model.load_state_dict(ck["ema"])
        if fp16_weights:
            round_weights_fp16(self.model)
        self.model.eval()

    @torch.no_grad()
    def encode(self, ids: np.ndarray) -> np.ndarray:
        return self.model.text(torch.from_numpy(ids)).numpy()

    @torch.no_grad()
    def denoise(self, x, t, emb, cond_frame, cond_mask) -> np.ndarray:
        return self.model.unet(torch.from_numpy(x), torch.from_numpy(t), torch.from_numpy(emb),
                               torch.from_numpy(cond_frame), torch.from_numpy(cond_mask)).numpy()


def round_weights_fp16(model: torch.nn.Module):
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.half().float())


def sample(backend, prompts, seeds, steps=20, guidance=4.0, cond_frames=None, trace=None):
    """Sample len(prompts) clips; clip k uses noise(seeds[k]). Each clip is its own batch-2 CFG call sequence
    when run by the app; here several clips are stacked in one batch (same numbers, row by row).
    Returns float32 [K, 3, F, H, W] in [-1, 1]."""
    cfg = backend.cfg
    K, F, S = len(prompts), cfg["frames"], cfg["size"]
    shape = (3, F, S, S)
    n = int(np.prod(shape))
    x = np.stack([gaussian_noise(int(s), n).reshape(shape) for s in seeds]).astype(np.float32)
    ids = backend.tok.encode_batch(list(prompts) + [""])
    emb_all = backend.encode(ids)
    emb = np.concatenate([emb_all[:K], np.repeat(emb_all[K:], K, axis=0)], axis=0)  # [cond..., uncond...]
    if cond_frames is None:
        cf = np.zeros((K, 3, S, S), np.float32)
        cm = np.zeros((K, 1), np.float32)
    else:
        cf = np.asarray(cond_frames, np.float32)
        cm = np.ones((K, 1), np.float32)
    cf2, cm2 = np.concatenate([cf, cf]), np.concatenate([cm, cm])
    table = alphas_cumprod(T_TRAIN)
    ts = ddim_timesteps(steps)
    for i, t in enumerate(ts):
        a = abar_at(t, table)
        a_next = abar_at(ts[i + 1] if i + 1 < len(ts) else -1, table)
        if guidance == 1.0:  # v_u + 1 (v_c - v_u) = v_c: the runner skips the unconditional row too
            v = backend.denoise(x, np.full(K, t, np.float32), emb[:K], cf, cm)
        else:
            out = backend.denoise(np.concatenate([x, x]), np.full(2 * K, t, np.float32), emb, cf2, cm2)
            v_c, v_u = out[:K], out[K:]
            v = v_u + np.float32(guidance) * (v_c - v_u)
        x0 = np.clip(np.float32(math.sqrt(a)) * x - np.float32(math.sqrt(1 - a)) * v, -1.0, 1.0)
        eps = np.float32(math.sqrt(1 - a)) * x + np.float32(math.sqrt(a)) * v
        x = (np.float32(math.sqrt(a_next)) * x0 + np.float32(math.sqrt(1 - a_next)) * eps).astype(np.float32)
        if trace is not None:
            trace.append({"step": i, "t": t, "abar": a, "x_mean": float(x.mean()), "x_std": float(x.std())})
    return x


def golden(backend, prompt, seed, steps, guidance, cond_from_seed=None):
    """Everything a TS runner test needs to check itself against this reference."""
    F, S = backend.cfg["frames"], backend.cfg["size"]
    n = 3 * F * S * S
    noise = gaussian_noise(seed, n)
    trace = []
    cond = None
    if cond_from_seed is not None:
        clip, _, _ = dataset.render_clip(cond_from_seed, F, S, split="any")
        cond = dataset.to_model_space(clip[None])[:, :, 0]
    t0 = time.time()
    x = sample(backend, [prompt], [seed], steps, guidance, cond_frames=cond, trace=trace)
    secs = time.time() - t0
    frames = dataset.from_model_space(x)[0]  # [F, H, W, 3]
    ids = backend.tok.encode_batch([prompt, ""])
    emb = backend.encode(ids)
    small = frames.reshape(F, S // 4, 4, S // 4, 4, 3).mean((2, 4))  # 4x4 box-downsampled frames
    return {
        "prompt": prompt, "seed": seed, "steps": steps, "guidance": guidance,
        "token_ids": ids[0].tolist(), "empty_token_ids": ids[1].tolist(),
        "text_emb_first8": [round(float(v), 6) for v in emb[0, :8]],
        "empty_emb_first8": [round(float(v), 6) for v in emb[1, :8]],
        "timesteps": ddim_timesteps(steps),
        "abar": [abar_at(t) for t in ddim_timesteps(steps)],
        "noise": {"method": "mulberry32+box-muller (see manifest.noise)", "count": n,
                  "first8": [float(v) for v in noise[:8]], "mean": float(noise.astype(np.float64).mean()),
                  "std": float(noise.astype(np.float64).std())},
        "cond_frame": None if cond is None else {
            "rendered_from_dataset_seed": cond_from_seed,
            "layout": "uint8 RGB [H, W, 3] row-major; model input = value / 127.5 - 1 as [1, 3, H, W]",
            "uint8_hwc": clip[0].reshape(-1).tolist()},
        "trace": [{k: (round(v, 6) if isinstance(v, float) else v) for k, v in r.items()} for r in trace],
        "output": {
            "x_mean": float(x.mean()), "x_std": float(x.std()),
            "x_first8": [round(float(v), 6) for v in x.reshape(-1)[:8]],
            "channel_mean": [float(x[0, c].mean()) for c in range(3)],
            "frames_uint8_mean": float(frames.mean()),
            "frame0_4x4_downsampled": np.round(small[0], 2).tolist(),
            "frame_last_4x4_downsampled": np.round(small[-1], 2).tolist(),
            "tolerance": "x: max abs diff <= 2e-3 expected between torch and onnxruntime (float32, 20 steps)",
        },
        "torch_cpu_seconds": round(secs, 3),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--prompt", default="a red circle moves to the left on a dark background")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--guidance", type=float, default=4.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", default=None, help="PNG contact sheet of the frames")
    ap.add_argument("--golden", default=None, help="write a golden JSON file here")
    args = ap.parse_args()
    be = TorchBackend(args.ckpt, threads=args.threads)
    if args.golden:
        g = golden(be, args.prompt, args.seed, args.steps, args.guidance)
        g2 = golden(be, "", args.seed + 1, args.steps, args.guidance, cond_from_seed=7)
        g2["prompt_note"] = "image-to-video with an empty prompt: cond_frame = frame 0 of dataset.render_clip(7)"
        with open(args.golden, "w") as f:
            json.dump({"text_to_video": g, "image_to_video": g2}, f, indent=1)
        print(f"golden written; torch CPU seconds per clip: {g['torch_cpu_seconds']}")
    if args.out:
        t0 = time.time()
        x = sample(be, [args.prompt], [args.seed], args.steps, args.guidance)
        print(f"sampled in {time.time() - t0:.2f}s")
        dataset.save_contact_sheet(dataset.from_model_space(x), args.out, upscale=4)


if __name__ == "__main__":
    main()
