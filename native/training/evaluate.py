"""Evaluate a checkpoint on HELD-OUT colour x shape x motion prompts with a frame analyzer.

    nice -n 10 /usr/bin/python3 native/training/evaluate.py --ckpt native/training/runs/small/final.pt \
        --samples 3 --steps 20 --out native/training/runs/small/eval.json

The analyzer (no learned parts):
  * pre-filter: 3x3 box blur of every frame for the mask and centroids only, colour uses raw pixels
    (the small model's samples are grainy; --no-smooth disables it);
  * background: per frame and channel, a plane a + b*x + c*y is fitted by least squares, refitted on the
    pixels it explains (residual < 0.12), since every background is plain or a linear gradient;
  * object mask: RGB distance to the background plane > 0.2 (core pixels > 0.3 for colour);
  * colour: mean RGB of the core pixels over all frames -> nearest named colour in dataset.COLORS;
  * motion: centroid per frame; straight-line fit; dominant axis of the displacement (>= 3 px) gives
    left/right/up/down, compared with dataset.SCREEN_DIRECTION (a camera pan moves the object the other way);
  * size trend (grow/shrink): slope of log area, reported separately.
The same analyzer is first run on ground-truth renders of the held-out combos (its own accuracy).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
import reference_sampler as rs  # noqa: E402

PALETTE_NAMES = dataset.COLOR_NAMES
PALETTE = np.array([dataset.COLORS[c] for c in PALETTE_NAMES])


SMOOTH = True


def analyze(frames_u8: np.ndarray, smooth: bool | None = None) -> dict:
    """frames uint8 [F, H, W, 3] -> colour, direction, per-frame centroids/areas."""
    smooth = SMOOTH if smooth is None else smooth
    F, H, W, _ = frames_u8.shape
    img = frames_u8.astype(np.float64) / 255.0
    raw = img
    if smooth:  # 3x3 box filter (edge-replicated): suppresses per-pixel grain before segmentation
        p = np.pad(img, ((0, 0), (1, 1), (1, 1), (0, 0)), mode="edge")
        img = sum(p[:, dy:dy + H, dx:dx + W] for dy in range(3) for dx in range(3)) / 9.0
    yy, xx = np.mgrid[0:H, 0:W]
    A = np.stack([np.ones(H * W), (xx.ravel() - W / 2) / W, (yy.ravel() - H / 2) / H], 1)
    cents, areas, core_pix = [], [], []
    for f in range(F):
        P = img[f].reshape(-1, 3)
        keep = np.ones(H * W, bool)
        for _ in range(3):
            coef, *_ = np.linalg.lstsq(A[keep], P[keep], rcond=None)
            res = np.linalg.norm(P - A @ coef, axis=1)
            new_keep = res < 0.12
            if new_keep.sum() < 0.3 * H * W:  # object covers most of the frame: keep the best 50%
                new_keep = res <= np.median(res)
            keep = new_keep
        mask = res > 0.2
        core = res > 0.3
        n = int(mask.sum())
        areas.append(n)
        if n >= 3:
            cents.append((float((xx.ravel() * mask).sum() / n), float((yy.ravel() * mask).sum() / n), f))
        if core.any():
            core_pix.append(raw[f].reshape(-1, 3)[core])  # colour from the unfiltered pixels
    out = {"areas": areas, "centroids": cents}
    if core_pix:
        mean_rgb = np.concatenate(core_pix).mean(0)
        d = np.linalg.norm(PALETTE - mean_rgb[None], axis=1)
        out["color"] = PALETTE_NAMES[int(d.argmin())]
        out["mean_rgb"] = [round(float(v), 3) for v in mean_rgb]
    else:
        out["color"] = "none"
    if len(cents) >= F // 3:
        c = np.array(cents)
        fx = np.polyfit(c[:, 2], c[:, 0], 1)[0] * (F - 1)
        fy = np.polyfit(c[:, 2], c[:, 1], 1)[0] * (F - 1)
        out["displacement_px"] = [round(float(fx), 2), round(float(fy), 2)]
        if max(abs(fx), abs(fy)) < 3.0:
            out["direction"] = "static"
        elif abs(fx) >= abs(fy):
            out["direction"] = "right" if fx > 0 else "left"
        else:
            out["direction"] = "down" if fy > 0 else "up"
    else:
        out["direction"] = "none"
    a = np.array(areas, np.float64)
    ok = a >= 3
    if ok.sum() >= F // 3:
        slope = np.polyfit(np.arange(F)[ok], np.log(a[ok]), 1)[0] * (F - 1)
        out["log_area_change"] = round(float(slope), 3)
        out["size"] = "grow" if slope > 0.3 else ("shrink" if slope < -0.3 else "same")
    else:
        out["size"] = "none"
    return out


def score(records):
    """Per-attribute accuracy over a list of {spec, analysis} records."""
    col = [r["analysis"]["color"] == r["color"] for r in records]
    dirs = [r for r in records if r["motion"] in dataset.SCREEN_DIRECTION]
    mot = [r["analysis"]["direction"] == dataset.SCREEN_DIRECTION[r["motion"]] for r in dirs]
    both = [r["analysis"]["direction"] == dataset.SCREEN_DIRECTION[r["motion"]] and r["analysis"]["color"] == r["color"]
            for r in dirs]
    size = [r for r in records if r["motion"] in ("grow", "shrink")]
    sz = [r["analysis"]["size"] == r["motion"] for r in size]
    acc = lambda v: (round(float(np.mean(v)), 4) if v else None)  # noqa: E731
    return {"color_acc": acc(col), "n_color": len(col), "motion_acc": acc(mot), "n_motion": len(mot),
            "both_acc": acc(both), "size_acc": acc(sz), "n_size": len(sz)}


def eval_specs(combos, samples, seed0):
    specs = []
    for k in range(samples):
        for j, (c, s, m) in enumerate(combos):
            bg = dataset.BACKGROUNDS[(j + k) % 3]
            specs.append({"color": c, "shape": s, "motion": m, "background": bg, "seed": seed0 + 1000 * k + j,
                          "prompt": dataset.canonical_caption(c, s, m, bg)})
    return specs


def run(backend, specs, steps, guidance, batch, i2v=False):
    recs, clips = [], []
    F, S = backend.cfg["frames"], backend.cfg["size"]
    for i in range(0, len(specs), batch):
        chunk = specs[i:i + batch]
        cond = None
        if i2v:
            cond = []
            for sp in chunk:
                gt, _, _ = dataset.render_clip(sp["seed"], F, S, spec=sp)
                cond.append(dataset.to_model_space(gt[None])[0, :, 0])
            cond = np.stack(cond)
        x = rs.sample(backend, [sp["prompt"] for sp in chunk], [sp["seed"] for sp in chunk], steps, guidance,
                      cond_frames=cond)
        u8 = dataset.from_model_space(x)
        for k, sp in enumerate(chunk):
            a = analyze(u8[k])
            rec = dict(sp, analysis={k2: a[k2] for k2 in ("color", "direction", "size", "mean_rgb",
                                                           "displacement_px") if k2 in a})
            if i2v:
                rec["frame0_mae_uint8"] = float(np.abs(u8[k, 0].astype(np.float64) - (cond[k].transpose(1, 2, 0) + 1)
                                                       * 127.5).mean())
            recs.append(rec)
            clips.append(u8[k])
    return recs, np.stack(clips)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--samples", type=int, default=3, help="samples per held-out combo (0: skip, for tuning)")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--guidance", type=float, default=4.0)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seen", type=int, default=40, help="also evaluate this many training combos (reference)")
    ap.add_argument("--no-i2v", action="store_true")
    ap.add_argument("--no-smooth", action="store_true", help="analyzer without the 3x3 pre-filter")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    t0 = time.time()
    global SMOOTH
    SMOOTH = not args.no_smooth
    be = rs.TorchBackend(args.ckpt, threads=args.threads)
    held = dataset.held_out_combos()
    F, S = be.cfg["frames"], be.cfg["size"]

    # analyzer sanity check on ground truth
    gt_specs = eval_specs(held, 1, 5000)
    gt_recs = []
    for sp in gt_specs:
        clip, _, _ = dataset.render_clip(sp["seed"], F, S, spec=sp)
        gt_recs.append(dict(sp, analysis=analyze(clip)))
    report = {"ckpt": args.ckpt, "steps": args.steps, "guidance": args.guidance, "analyzer_smooth": SMOOTH,
              "analyzer_on_ground_truth_held_out": score(gt_recs)}
    print("analyzer on ground truth:", report["analyzer_on_ground_truth_held_out"], flush=True)

    recs, clips = [], None
    if args.samples > 0:
        specs = eval_specs(held, args.samples, 100)
        recs, clips = run(be, specs, args.steps, args.guidance, args.batch)
        report["held_out_t2v"] = score(recs)
        print("held-out text-to-video:", report["held_out_t2v"], flush=True)

    if args.seen:
        rng = np.random.default_rng(0)
        seen = []
        while len(seen) < args.seen:
            c, s, m = (dataset.COLOR_NAMES[rng.integers(8)], dataset.SHAPES[rng.integers(5)],
                       dataset.MOTIONS[rng.integers(12)])
            if (c, s, m) not in dataset.HELD_OUT and (c, s, m) not in seen:
                seen.append((c, s, m))
        srecs, sclips = run(be, eval_specs(seen, 1, 900000), args.steps, args.guidance, args.batch)
        clips = sclips if clips is None else clips
        report["seen_t2v"] = score(srecs)
        print("seen (training) combos text-to-video:", report["seen_t2v"], flush=True)

    if not args.no_i2v:
        dspecs = [sp for sp in eval_specs(held, 1, 7000) if sp["motion"] in dataset.SCREEN_DIRECTION]
        irecs, iclips = run(be, dspecs, args.steps, args.guidance, args.batch, i2v=True)
        report["held_out_i2v"] = score(irecs)
        report["held_out_i2v"]["frame0_mae_uint8"] = round(float(np.mean([r["frame0_mae_uint8"] for r in irecs])), 2)
        print("held-out image-to-video:", report["held_out_i2v"], flush=True)

    report["eval_seconds"] = round(time.time() - t0, 1)
    report["records"] = recs
    report["seen_records"] = srecs if args.seen else []
    if args.out:
        with open(args.out, "w") as f:
            json.dump(report, f, indent=1)
        sheet = os.path.splitext(args.out)[0] + "_held_out.png"
        if clips is not None:
            dataset.save_contact_sheet(clips[:24], sheet, upscale=3)
        print("wrote", args.out, "and", sheet)


if __name__ == "__main__":
    main()
