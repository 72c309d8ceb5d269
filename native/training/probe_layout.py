"""What the layout stage (cfg layout, model.LayoutPrior) plans for held-out prompts, before any denoising (seconds).

For the evaluation's 80 held-out prompts (evaluate.eval_specs), the draft clip the layout stage draws from the caption
alone is scored by the same analyzer as generated clips: colour, screen direction, shape. This is the plan the
denoiser is then asked to follow; a checkpoint whose plan misses a target cannot reach it by sampling.

    OMP_NUM_THREADS=1 nice -n 10 /usr/bin/python3 native/training/probe_layout.py --ckpt native/training/runs/tiny-x0L/last.pt --png drafts.png
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--samples", type=int, default=2)
    ap.add_argument("--png", default=None, help="contact sheet of the first 16 drafts")
    args = ap.parse_args()
    be = rs.TorchBackend(args.ckpt)
    unet = be.model.unet
    if unet.layout is None:
        sys.exit("this checkpoint's config has no layout stage")
    specs = evaluate.eval_specs(dataset.held_out_combos(), args.samples, 0)
    ids = np.array([be.tok.encode(s["prompt"]) for s in specs], dtype=np.int64)
    with torch.no_grad():
        emb = torch.from_numpy(be.encode(ids))
        draft, _ = unet.draft_of(emb)
    clips = dataset.from_model_space(draft.clamp(-1, 1).numpy())
    recs = [dict(sp, analysis=evaluate.analyze(c)) for sp, c in zip(specs, clips)]
    print(json.dumps({"ckpt": args.ckpt, "drafts": evaluate.score(recs), "gate": [round(float(v), 3) for v in unet.gate]}))
    if args.png:
        dataset.save_contact_sheet(clips[:16], args.png)


if __name__ == "__main__":
    main()
