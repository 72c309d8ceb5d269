"""Is there a direction signal to learn? (~30 CPU-seconds) The x0 loss gradient at the stem features for 12 rendered
"left" and 12 "right" clips (red circle, dark background) at t = 950, where the caption alone decides place and path.
Prints the mean vs per-sample gradient norm, the left-minus-right mean gradient's energy per (frame pair, column) of
the 8 x 8 x 8 stem grid (it should sit at the path ends: early/late frames, outer columns), and the cosine between
the left-minus-right gradient of two disjoint halves (near 1: a consistent signal that a per-word map can follow).

    OMP_NUM_THREADS=1 nice -n 19 /usr/bin/python3 native/training/direction_grad.py --ckpt native/training/runs/tiny-x0c/final.pt

--words (no checkpoint needed): for each direction word, the share of training captions holding it per on-screen
direction of the clip (60 k captions, uniform motions): a word that a bag of words could learn points one way.
"""
from __future__ import annotations

import argparse
import collections
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
import reference_sampler as rs  # noqa: E402
from model import alphas_cumprod  # noqa: E402


def word_stats(n: int = 60000) -> None:
    import numpy as np
    rng = np.random.default_rng(0)
    cnt: dict = collections.defaultdict(collections.Counter)
    for _ in range(n):
        m = dataset.MOTIONS[rng.integers(len(dataset.MOTIONS))]
        cap = dataset.make_caption(rng, "red", "circle", m, "dark")
        for w in set(dataset.normalize(cap)):
            if w in ("left", "right", "leftward", "rightward", "up", "down", "upward", "downward"):
                cnt[w][dataset.SCREEN_DIRECTION.get(m, "none")] += 1
    for w, c in sorted(cnt.items()):
        tot = sum(c.values())
        print(f"{w}: in {tot / n:.1%} of captions; clip moves " +
              ", ".join(f"{k} {v / tot:.1%}" for k, v in sorted(c.items())))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt")
    ap.add_argument("--words", action="store_true", help="only the caption-word statistics")
    ap.add_argument("--t", type=int, default=950)
    ap.add_argument("--clips", type=int, default=12)
    args = ap.parse_args()
    if args.words or not args.ckpt:
        word_stats()
        return
    torch.manual_seed(0)
    be = rs.TorchBackend(args.ckpt, fp16_weights=False)
    m, S = be.model, be.cfg["size"]
    store = {}

    def hook(_mod, _inp, out):
        out.retain_grad()
        store["h"] = out

    m.unet.stem.register_forward_hook(hook)
    abar = torch.tensor(alphas_cumprod(1000), dtype=torch.float32)
    grads = {}
    for mot in ("left", "right"):
        G = []
        for i in range(args.clips):
            clip, cap, meta = dataset.render_clip(777 + i, spec={"color": "red", "shape": "circle", "motion": mot,
                                                                 "background": "dark"}, with_mask=True)
            x0 = torch.from_numpy(dataset.to_model_space(clip[None]))
            t = torch.tensor([args.t])
            a = abar[t].reshape(1, 1, 1, 1, 1)
            xt = a.sqrt() * x0 + (1 - a).sqrt() * torch.randn_like(x0)
            emb = m.text(torch.tensor([be.tok.encode(cap)]))
            pred = m.unet.x0(xt, t.float(), emb, torch.zeros(1, 3, S, S), torch.zeros(1, 1))
            mk = torch.nn.functional.max_pool3d(torch.from_numpy(meta["mask"])[None, None], (1, 3, 3), 1, (0, 1, 1))
            w = 1 + 7 * mk  # the training loss's object weighting (weight 8)
            loss = (w * (pred - x0) ** 2).mean() / w.mean()
            m.zero_grad()
            loss.backward()
            G.append(store["h"].grad[0].detach().clone())
        grads[mot] = torch.stack(G)
        print(f"{mot}: |mean grad| {float(grads[mot].mean(0).norm()):.5f}, "
              f"mean per-sample |grad| {float(grads[mot].flatten(1).norm(dim=1).mean()):.5f}")
    D = grads["left"].mean(0) - grads["right"].mean(0)
    e = D.pow(2).sum((0, 2)).sqrt()
    print("left-minus-right mean gradient, energy x 1e4 per (frame pair, column):")
    for row in e.tolist():
        print(" ".join(f"{v * 1e4:6.1f}" for v in row))
    h = args.clips // 2
    Gl, Gr = grads["left"].flatten(1), grads["right"].flatten(1)
    a, b = Gl[:h].mean(0) - Gr[:h].mean(0), Gl[h:].mean(0) - Gr[h:].mean(0)
    print(f"cosine between the two halves' left-minus-right gradients: {float((a * b).sum() / (a.norm() * b.norm())):.3f}")


if __name__ == "__main__":
    main()
