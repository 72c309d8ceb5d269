"""Diagnose a shipped pack without its checkpoint: writes rendered training clips, their captions and
fixed noise to DIR so native/training/diagnose_pack.mjs can measure, in onnxruntime-node,
  * the per-timestep x0 error of the denoiser on real clips, with the right caption, the empty caption
    and a caption of another clip (does the text reach the network? is it denoising at low noise?);
  * DDIM (20 steps) vs ancestral DDPM (1000 steps) samples of training prompts, scored by the analyzer.

    /usr/bin/python3 native/training/diagnose_pack.py --out /tmp/diag-pack --n 8
    node native/training/diagnose_pack.mjs resources/models/shotline-shapes-tiny /tmp/diag-pack
    /usr/bin/python3 native/training/diagnose_pack.py --out /tmp/diag-pack --score   # analyzer on the samples
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
import evaluate  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=8)
    ap.add_argument("--score", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.score:
        res = json.load(open(os.path.join(args.out, "samples.json")))
        out = {}
        for name, recs in res.items():
            scored = []
            for r in recs:
                u8 = np.array(r["frames"], np.uint8).reshape(16, 32, 32, 3)
                scored.append(dict(r["spec"], analysis=evaluate.analyze(u8)))
            out[name] = evaluate.score(scored)
            dataset.save_contact_sheet(np.stack([np.array(r["frames"], np.uint8).reshape(16, 32, 32, 3)
                                                 for r in recs]), os.path.join(args.out, f"{name}.png"))
        print(json.dumps(out, indent=1))
        return
    seeds = list(range(424242, 424242 + args.n))
    clips, caps, metas = dataset.render_batch(seeds, split="train")
    x0 = dataset.to_model_space(clips)
    x0.astype(np.float32).tofile(os.path.join(args.out, "x0.f32"))
    rng = np.random.default_rng(0)
    rng.standard_normal(x0.shape).astype(np.float32).tofile(os.path.join(args.out, "eps.f32"))
    tok = dataset.Tokenizer(dataset.build_vocab(), 20)
    specs = [{k: m[k] for k in ("color", "shape", "motion", "background")} for m in metas]
    with open(os.path.join(args.out, "clips.json"), "w") as f:
        json.dump({"n": args.n, "captions": caps, "ids": tok.encode_batch(caps).tolist(),
                   "empty_ids": tok.encode(""), "specs": specs,
                   "canonical": [dataset.canonical_caption(s["color"], s["shape"], s["motion"], s["background"])
                                 for s in specs],
                   "canonical_ids": tok.encode_batch([dataset.canonical_caption(**s) for s in specs]).tolist()}, f)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
