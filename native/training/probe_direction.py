"""Quick direction probe of a checkpoint (~1 CPU-minute): DDIM-20 on 16 *training* prompts, 4 per screen direction
("a {colour} {shape} moves to the left/right, moves up/down on a dark background"), scored by the Python analyzer.
Used to check, on a running trial, that a conditioning change learns direction at all before a long run.

    OMP_NUM_THREADS=1 nice -n 10 /usr/bin/python3 native/training/probe_direction.py --ckpt native/training/runs/tiny-x0c/last.pt
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
import evaluate  # noqa: E402
import reference_sampler as rs  # noqa: E402


def probe_specs(per_direction: int = 4) -> list[dict]:
    """Fixed training combos (never held out): per direction, the first colour x shape pairs in a fixed shuffle."""
    rng = np.random.default_rng(11)
    specs = []
    for m in ("left", "right", "up", "down"):
        n = 0
        for k in rng.permutation(len(dataset.COLOR_NAMES) * len(dataset.SHAPES)):
            c, s = dataset.COLOR_NAMES[k // len(dataset.SHAPES)], dataset.SHAPES[k % len(dataset.SHAPES)]
            if (c, s, m) in dataset.HELD_OUT:
                continue
            specs.append({"color": c, "shape": s, "motion": m, "background": "dark"})
            n += 1
            if n == per_direction:
                break
    return specs


def t999_check(be, noises: int = 4) -> dict:
    """The caption alone decides where the object is at t = 999 (pure noise). With the same noise for both captions,
    the x0 estimate of "a red circle moves to the left" vs "... to the right": the object's centroid x (weights:
    distance from the frame's median colour) in the first and last 4 frames, and the rms difference of the two
    x0 estimates. Ideal (the renderer's conditional mean): left +0.46 -> -0.46, right the mirror."""
    cfg, tok = be.cfg, be.tok
    F, S = cfg["frames"], cfg["size"]
    caps = {m: dataset.canonical_caption("red", "circle", m, "dark") for m in ("left", "right")}
    ids = np.array([tok.encode(caps["left"]), tok.encode(caps["right"])], dtype=np.int64)
    emb = be.encode(ids)
    gx = torch.linspace(-1, 1, S)[None, None, None, :]
    out = {"left": [], "right": [], "rms_diff": []}
    for k in range(noises):
        g = torch.Generator().manual_seed(1000 + k)
        x = torch.randn(1, 3, F, S, S, generator=g).repeat(2, 1, 1, 1, 1)
        with torch.no_grad():
            x0 = be.model.unet.x0(x, torch.full((2,), 999.0), torch.from_numpy(emb), torch.zeros(2, 3, S, S),
                                  torch.zeros(2, 1))
        out["rms_diff"].append(float(((x0[0] - x0[1]) ** 2).mean().sqrt()))
        for r, m in enumerate(("left", "right")):
            w = (x0[r] - x0[r].flatten(2).median(dim=2).values[..., None, None]).norm(dim=0)  # [F, H, W]
            cx = (w * gx[0, 0]).sum((1, 2)) / w.sum((1, 2)).clamp(min=1e-6)
            out[m].append([float(cx[:4].mean()), float(cx[-4:].mean())])
    res = {"rms_diff": round(float(np.mean(out["rms_diff"])), 4)}
    for m in ("left", "right"):
        a = np.array(out[m])
        res[m] = {"x_first": round(float(a[:, 0].mean()), 3), "x_last": round(float(a[:, 1].mean()), 3)}
    # signed travel: right's (last - first) minus left's; ideal about +1.8, 0 when the caption does not matter
    res["travel_gap"] = round((res["right"]["x_last"] - res["right"]["x_first"]) -
                              (res["left"]["x_last"] - res["left"]["x_first"]), 3)
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", default=None, help="JSON report (default: print only)")
    ap.add_argument("--png", default=None, help="contact sheet of the 16 clips")
    ap.add_argument("--guidance", type=float, default=4.0)
    ap.add_argument("--t999-only", action="store_true", help="only the t = 999 left/right check (seconds)")
    args = ap.parse_args()
    be = rs.TorchBackend(args.ckpt)
    t999 = t999_check(be)
    print(json.dumps({"t999": t999}))
    if args.t999_only:
        return
    specs = probe_specs()
    prompts = [dataset.canonical_caption(s["color"], s["shape"], s["motion"], s["background"]) for s in specs]
    clips = dataset.from_model_space(rs.sample(be, prompts, [7 + i for i in range(len(specs))], 20, args.guidance))
    recs = [dict(sp, analysis=evaluate.analyze(c)) for sp, c in zip(specs, clips)]
    rep = {"ckpt": args.ckpt, "t999": t999, "score": evaluate.score(recs),
           "clips": [[p, r["analysis"].get("color"), r["analysis"].get("direction")] for p, r in zip(prompts, recs)]}
    print(json.dumps(rep["score"]))
    for row in rep["clips"]:
        print(json.dumps(row))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(rep, f, indent=1)
    if args.png:
        dataset.save_contact_sheet(clips, args.png)


if __name__ == "__main__":
    main()
