"""Diagnose a checkpoint (docs/model-packs.md, "Diagnosis"):
  * per-timestep x0 RMSE on rendered training clips with the right caption, the empty caption and the
    caption of another clip (is it denoising at every noise level? does the text reach the network?);
  * DDIM-20 (the shipped sampler) vs ancestral DDPM-1000 on canonical training prompts, scored by the analyzer
    (a sampler/schedule bug shows up as a gap between the two).

    nice -n 5 /usr/bin/python3 native/training/diagnose.py --ckpt native/training/runs/tiny-x0/final.pt \
        --out native/training/runs/tiny-x0/diagnosis.json
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
import evaluate  # noqa: E402
import reference_sampler as rs  # noqa: E402
from model import alphas_cumprod  # noqa: E402


@torch.no_grad()
def x0_errors(be, n=8, ts=(999, 900, 750, 600, 450, 300, 150, 50, 10)):
    clips, caps, metas = dataset.render_batch(range(424242, 424242 + n), split="train", with_mask=True)
    x0 = torch.from_numpy(dataset.to_model_space(clips))
    obj = torch.from_numpy(np.stack([m["mask"] for m in metas]))[:, None] > 0.5  # object pixels [n, 1, F, H, W]
    eps = torch.from_numpy(np.random.default_rng(0).standard_normal(x0.shape).astype(np.float32))
    abar = alphas_cumprod(1000)
    emb_right = torch.from_numpy(be.encode(be.tok.encode_batch(caps)))
    emb_empty = torch.from_numpy(be.encode(be.tok.encode_batch([""] * n)))
    emb_other = torch.roll(emb_right, 1, 0)
    zf, zm = torch.zeros(n, 3, 32, 32), torch.zeros(n, 1)
    rows = []
    for t in ts:
        a = float(abar[t])
        xt = math.sqrt(a) * x0 + math.sqrt(1 - a) * eps
        tt = torch.full((n,), float(t))
        row = {"t": t, "abar": round(a, 5)}
        for name, emb in (("right", emb_right), ("empty", emb_empty), ("other", emb_other)):
            v = be.model.unet(xt, tt, emb, zf, zm)
            x0h = (math.sqrt(a) * xt - math.sqrt(1 - a) * v).clamp(-1, 1)
            err = (x0h - x0) ** 2
            row[f"x0_rmse_{name}"] = round(float(err.mean().sqrt()), 4)
            # the same on the object's pixels only: what "draws the object" means
            row[f"obj_rmse_{name}"] = round(float(err.mean(1, keepdim=True)[obj].mean().sqrt()), 4)
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


@torch.no_grad()
def ddpm_sample(be, prompt, seed, guidance=4.0):
    """Ancestral DDPM over all 1000 steps (posterior q(x_{t-1} | x_t, x0) with the model's clipped x0)."""
    abar = alphas_cumprod(1000)
    F, S = be.cfg["frames"], be.cfg["size"]
    g = torch.Generator().manual_seed(seed)
    x = torch.from_numpy(rs.gaussian_noise(seed, 3 * F * S * S).reshape(1, 3, F, S, S))
    emb = torch.from_numpy(be.encode(be.tok.encode_batch([prompt, ""])))
    zf, zm = torch.zeros(2, 3, S, S), torch.zeros(2, 1)
    for t in range(999, -1, -1):
        a, an = float(abar[t]), (float(abar[t - 1]) if t > 0 else 1.0)
        v2 = be.model.unet(torch.cat([x, x]), torch.full((2,), float(t)), emb, zf, zm)
        v = v2[1:] + guidance * (v2[:1] - v2[1:])
        x0 = (math.sqrt(a) * x - math.sqrt(1 - a) * v).clamp(-1, 1)
        at = a / an
        mean = (math.sqrt(an) * (1 - at) / (1 - a)) * x0 + (math.sqrt(at) * (1 - an) / (1 - a)) * x
        var = (1 - an) / (1 - a) * (1 - at)
        x = mean + (math.sqrt(max(var, 0.0)) * torch.randn(x.shape, generator=g) if t > 0 else 0)
    return x.numpy()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--ddpm-clips", type=int, default=4)
    ap.add_argument("--ddim-only", type=int, default=0, help="skip DDPM; DDIM-20 on this many training prompts "
                    "(a quick check of a running trial: analyzer scores + contact sheet)")
    args = ap.parse_args()
    be = rs.TorchBackend(args.ckpt)
    rep = {"ckpt": args.ckpt, "x0_rmse": x0_errors(be)}
    if args.ddim_only:
        rng = np.random.default_rng(5)
        specs = [dataset.sample_spec(rng, "train") for _ in range(args.ddim_only)]
        prompts = [dataset.canonical_caption(s["color"], s["shape"], s["motion"], s["background"]) for s in specs]
        ddim = dataset.from_model_space(rs.sample(be, prompts, [7 + i for i in range(len(specs))], 20, 4.0))
        recs = [dict(sp, analysis=evaluate.analyze(c), hf_energy=evaluate.hf_energy(c)) for sp, c in zip(specs, ddim)]
        rep["ddim20"] = evaluate.score(recs)
        rep["ddim20"]["hf_energy"] = round(float(np.mean([r["hf_energy"] for r in recs])), 6)
        rep["ddim20_prompts"] = [[p, r["analysis"].get("color"), r["analysis"].get("direction"),
                                  r["analysis"].get("shape")] for p, r in zip(prompts, recs)]
        print("ddim20", json.dumps(rep["ddim20"]), json.dumps(rep["ddim20_prompts"]), flush=True)
        dataset.save_contact_sheet(ddim, os.path.splitext(args.out)[0] + "_ddim.png")
        with open(args.out, "w") as f:
            json.dump(rep, f, indent=1)
        return
    rng = np.random.default_rng(5)
    specs = [dataset.sample_spec(rng, "train") for _ in range(args.ddpm_clips)]
    prompts = [dataset.canonical_caption(s["color"], s["shape"], s["motion"], s["background"]) for s in specs]
    seeds = [7 + i for i in range(len(specs))]
    ddim = dataset.from_model_space(rs.sample(be, prompts, seeds, 20, 4.0))
    ddpm = np.concatenate([dataset.from_model_space(ddpm_sample(be, p, s)) for p, s in zip(prompts, seeds)])
    for name, clips in (("ddim20", ddim), ("ddpm1000", ddpm)):
        recs = [dict(sp, analysis=evaluate.analyze(c), hf_energy=evaluate.hf_energy(c)) for sp, c in zip(specs, clips)]
        rep[name] = evaluate.score(recs)
        rep[name]["hf_energy"] = round(float(np.mean([r["hf_energy"] for r in recs])), 6)
        print(name, json.dumps(rep[name]), flush=True)
    dataset.save_contact_sheet(np.concatenate([ddim, ddpm]), os.path.splitext(args.out)[0] + "_ddim_vs_ddpm.png")
    with open(args.out, "w") as f:
        json.dump(rep, f, indent=1)


if __name__ == "__main__":
    main()
