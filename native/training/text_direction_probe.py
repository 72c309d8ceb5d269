"""Can the text side tell the four screen directions apart? (~1-2 CPU-minutes, no rendering) A linear head on a
checkpoint's pooled caption embedding predicts the clip's screen direction (left/right/up/down/none; a camera pan
left means the scene moves right) from training-template captions: first with the text encoder frozen (is the
direction already linearly there?), then with the encoder trained too (how fast can it be taught?). Accuracy on
fresh captions, also on the camera-pan captions alone, and the left/right gap of the pooled embedding.

    OMP_NUM_THREADS=1 nice -n 19 /usr/bin/python3 native/training/text_direction_probe.py --ckpt native/training/runs/tiny-x0c/final.pt
"""
from __future__ import annotations

import argparse
import copy
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
from model import T2V  # noqa: E402

DIRS = ["left", "right", "up", "down", "none"]


def captions(rng, n):
    caps, ys, pans = [], [], []
    for _ in range(n):
        c = dataset.COLOR_NAMES[rng.integers(8)]
        s = dataset.SHAPES[rng.integers(5)]
        m = dataset.MOTIONS[rng.integers(len(dataset.MOTIONS))]
        caps.append(dataset.make_caption(rng, c, s, m, dataset.BACKGROUNDS[rng.integers(3)]))
        ys.append(DIRS.index(dataset.SCREEN_DIRECTION.get(m, "none")))
        pans.append(m.startswith("pan"))
    return caps, torch.tensor(ys), np.array(pans)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--batch", type=int, default=256)
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    ck = torch.load(args.ckpt, map_location="cpu")
    cfg, vocab = ck["config"], ck["vocab"]
    tok = dataset.Tokenizer(vocab, cfg["max_len"])
    m = T2V(cfg, len(vocab["tokens"]), tok.pad_id)
    m.load_state_dict(ck["ema"])
    text = m.text
    D = cfg["text_dim"]
    rng = np.random.default_rng(5)
    test_caps, test_y, test_pan = captions(np.random.default_rng(99), 4000)
    test_ids = torch.tensor(tok.encode_batch(test_caps))

    def gap(enc):
        with torch.no_grad():
            e = enc(torch.tensor(tok.encode_batch([dataset.canonical_caption("red", "circle", d) for d in
                                                   ("left", "right")])))[:, :D]
        return float((e[0] - e[1]).norm() / e.norm(dim=1).mean())

    def run(train_encoder):
        enc = copy.deepcopy(text)
        head = torch.nn.Linear(D, len(DIRS))
        params = list(head.parameters()) + (list(enc.parameters()) if train_encoder else [])
        opt = torch.optim.Adam(params, lr=1e-3)
        t0 = time.time()
        for _ in range(args.steps):
            caps, y, _ = captions(rng, args.batch)
            with torch.set_grad_enabled(train_encoder):
                e = enc(torch.tensor(tok.encode_batch(caps)))[:, :D]
            loss = torch.nn.functional.cross_entropy(head(e), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            pred = head(enc(test_ids)[:, :D]).argmax(1)
        ok = (pred == test_y).numpy()
        print(f"{'encoder trained' if train_encoder else 'encoder frozen '}: {args.steps} steps x {args.batch} captions "
              f"in {time.time() - t0:.0f} s; screen direction accuracy {ok.mean():.1%} (camera pans {ok[test_pan].mean():.1%}, "
              f"translations {ok[(test_y.numpy() < 4) & ~test_pan].mean():.1%}); left/right gap of the pooled embedding "
              f"{gap(enc):.3f}")

    print(f"checkpoint: left/right gap of the pooled embedding {gap(text):.3f} (|e_left - e_right| / |e|)")
    run(False)
    run(True)


if __name__ == "__main__":
    main()
