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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", default=None, help="JSON report (default: print only)")
    ap.add_argument("--png", default=None, help="contact sheet of the 16 clips")
    args = ap.parse_args()
    be = rs.TorchBackend(args.ckpt)
    specs = probe_specs()
    prompts = [dataset.canonical_caption(s["color"], s["shape"], s["motion"], s["background"]) for s in specs]
    clips = dataset.from_model_space(rs.sample(be, prompts, [7 + i for i in range(len(specs))], 20, 4.0))
    recs = [dict(sp, analysis=evaluate.analyze(c)) for sp, c in zip(specs, clips)]
    rep = {"ckpt": args.ckpt, "score": evaluate.score(recs),
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
