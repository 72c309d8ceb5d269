"""Carry a training checkpoint to and from the GPU machine, whose transfers take files of at most 16 MiB.

    python3 slim_ckpt.py split runs/x/final.pt DIR/x [--part-mb 15] [--key ema]   # DIR/x.part0.pt, DIR/x.part1.pt, ...
    python3 slim_ckpt.py join runs/y/final.pt DIR/x.part0.pt DIR/x.part1.pt ...

A part holds one slice of the chosen weights (the EMA by default: what the pack ships and what a warm start reads)
plus the run's config, vocabulary and figures; the optimiser state and the raw weights stay behind. `join` writes a
checkpoint whose "model" and "ema" are both the joined weights, so export_onnx.py, evaluate.py and
train.py --init read it like any other.
"""
from __future__ import annotations

import argparse
import os

import torch

META = ("config", "config_name", "vocab", "step", "loss", "elapsed_s", "args")


def split(src: str, prefix: str, part_mb: float, key: str) -> list[str]:
    ck = torch.load(src, map_location="cpu", weights_only=False)
    meta = {k: ck[k] for k in META if k in ck}
    parts, cur, size = [], {}, 0
    for name, t in ck[key].items():
        nbytes = t.numel() * t.element_size()
        if cur and size + nbytes > part_mb * 2**20:
            parts.append(cur)
            cur, size = {}, 0
        cur[name] = t.clone()  # a view would save its whole storage
        size += nbytes
    parts.append(cur)
    paths = []
    os.makedirs(os.path.dirname(os.path.abspath(prefix)), exist_ok=True)
    for i, weights in enumerate(parts):
        path = f"{prefix}.part{i}.pt"
        torch.save({**meta, "part": i, "parts": len(parts), "weights": weights}, path)
        paths.append(path)
    return paths


def join(dst: str, part_paths: list[str]) -> None:
    parts = [torch.load(p, map_location="cpu", weights_only=False) for p in part_paths]
    want = parts[0]["parts"]
    got = sorted(p["part"] for p in parts)
    if got != list(range(want)):
        raise SystemExit(f"need parts 0..{want - 1}, got {got}")
    weights = {}
    for p in sorted(parts, key=lambda p: p["part"]):
        weights.update(p["weights"])
    meta = {k: parts[0][k] for k in META if k in parts[0]}
    os.makedirs(os.path.dirname(os.path.abspath(dst)), exist_ok=True)
    torch.save({**meta, "model": weights, "ema": weights}, dst)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("split")
    s.add_argument("src")
    s.add_argument("prefix")
    s.add_argument("--part-mb", type=float, default=15.0)
    s.add_argument("--key", default="ema", choices=["ema", "model"])
    j = sub.add_parser("join")
    j.add_argument("dst")
    j.add_argument("parts", nargs="+")
    a = ap.parse_args()
    if a.cmd == "split":
        for p in split(a.src, a.prefix, a.part_mb, a.key):
            print(p, os.path.getsize(p))
    else:
        join(a.dst, a.parts)
        print(a.dst, os.path.getsize(a.dst))


if __name__ == "__main__":
    main()
