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
import math
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


SHAPE_AREA = {"circle": math.pi, "square": 1.64 ** 2, "diamond": 2 * 1.2 ** 2, "triangle": 3 * math.sqrt(3) / 4 * 1.25 ** 2,
              "cross": 2 * 2 * 0.72 - 0.72 ** 2}  # area of dataset.shape_sdf(shape, r=1) (world units^2)
SHAPE_ANGLES = (-0.3, -0.15, 0.0, 0.15, 0.3)  # the dataset tilts shapes by at most 0.25 rad (spin aside)


def shape_of_frame(alpha: np.ndarray) -> str | None:
    """Template matching of one frame's soft object mask alpha [H, W] in [0, 1]: every dataset shape is
    drawn (anti-aliased exactly like dataset.render_clip) at the mask's centroid with the radius that
    gives the mask's area, at a few tilts; the shape with the smallest squared difference wins. None when
    the object is too small or touches the border (clipped by the frame)."""
    H, W = alpha.shape
    m = float(alpha.sum())
    if m < 8.0 or alpha[0].max() > 0.5 or alpha[-1].max() > 0.5 or alpha[:, 0].max() > 0.5 or alpha[:, -1].max() > 0.5:
        return None
    yy, xx = np.mgrid[0:H, 0:W]
    cx, cy = float((alpha * xx).sum() / m), float((alpha * yy).sum() / m)
    ppu = W / 2.0  # pixels per world unit
    g = lambda v: ((v + 0.5) / W * 2 - 1)  # noqa: E731  pixel index -> screen coordinate
    lx, ly = g(xx) - g(cx), g(yy) - g(cy)
    best, best_err = None, None
    for shape, area1 in SHAPE_AREA.items():
        r = math.sqrt(m / (ppu * ppu) / area1)
        for ang in SHAPE_ANGLES:
            ca, sa = math.cos(ang), math.sin(ang)
            px, py = ca * lx + sa * ly, -sa * lx + ca * ly
            tpl = np.clip(0.5 - dataset.shape_sdf(shape, px, py, r) * ppu, 0, 1)
            err = float(((tpl - alpha) ** 2).sum())
            if best_err is None or err < best_err:
                best, best_err = shape, err
    return best


def shape_vote(alphas) -> str:
    """Majority over frames of shape_of_frame ("none" if no frame qualifies)."""
    votes = {}
    for a in alphas:
        s = shape_of_frame(a)
        if s is not None:
            votes[s] = votes.get(s, 0) + 1
    return max(sorted(votes), key=lambda k: votes[k]) if votes else "none"


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
    cents, areas, core_pix, planes = [], [], [], []
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
        planes.append(A @ coef)
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
        # shape: soft mask from the unfiltered pixels = how far each pixel is from the background plane
        # towards the object colour (projection on the background->object colour direction)
        alphas = []
        for f in range(F):
            bgp = planes[f]
            dirv = mean_rgb[None] - bgp  # [HW, 3]
            den = (dirv * dirv).sum(1)
            a = np.where(den > 0.04, ((raw[f].reshape(-1, 3) - bgp) * dirv).sum(1) / np.maximum(den, 1e-9), 0.0)
            alphas.append(np.clip(a, 0, 1).reshape(H, W))
        out["shape"] = shape_vote(alphas)
    else:
        out["color"] = "none"
        out["shape"] = "none"
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


def hf_energy(frames_u8: np.ndarray) -> float:
    """High-frequency energy of a clip: mean squared difference between every pixel and its 3x3 box
    average (edge-replicated), in [0, 1] pixel units. Grain raises it; flat areas and clean edges keep
    it at the level of the rendered dataset clips."""
    img = frames_u8.astype(np.float64) / 255.0
    F, H, W, _ = img.shape
    p = np.pad(img, ((0, 0), (1, 1), (1, 1), (0, 0)), mode="edge")
    box = sum(p[:, dy:dy + H, dx:dx + W] for dy in range(3) for dx in range(3)) / 9.0
    return float(((img - box) ** 2).mean())


def psnr(a_u8: np.ndarray, b_u8: np.ndarray) -> float:
    mse = float(((a_u8.astype(np.float64) - b_u8.astype(np.float64)) ** 2).mean()) / 255.0 ** 2
    return 99.0 if mse == 0 else 10 * math.log10(1.0 / mse)


def score(records):
    """Per-attribute accuracy over a list of {spec, analysis} records."""
    col = [r["analysis"]["color"] == r["color"] for r in records]
    dirs = [r for r in records if r["motion"] in dataset.SCREEN_DIRECTION]
    mot = [r["analysis"]["direction"] == dataset.SCREEN_DIRECTION[r["motion"]] for r in dirs]
    both = [r["analysis"]["direction"] == dataset.SCREEN_DIRECTION[r["motion"]] and r["analysis"]["color"] == r["color"]
            for r in dirs]
    size = [r for r in records if r["motion"] in ("grow", "shrink")]
    sz = [r["analysis"]["size"] == r["motion"] for r in size]
    shp = [r["analysis"].get("shape") == r["shape"] for r in records]
    acc = lambda v: (round(float(np.mean(v)), 4) if v else None)  # noqa: E731
    return {"color_acc": acc(col), "n_color": len(col), "motion_acc": acc(mot), "n_motion": len(mot),
            "both_acc": acc(both), "size_acc": acc(sz), "n_size": len(sz), "shape_acc": acc(shp), "n_shape": len(shp)}


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
            rec = dict(sp, analysis={k2: a[k2] for k2 in ("color", "direction", "size", "shape", "mean_rgb",
                                                           "displacement_px") if k2 in a})
            rec["hf_energy"] = hf_energy(u8[k])
            if i2v:
                given = dataset.from_model_space(cond[k][:, None][None])[0, 0]  # the uint8 image that was given
                rec["frame0_mae_uint8"] = float(np.abs(u8[k, 0].astype(np.float64) - given.astype(np.float64)).mean())
                rec["frame0_psnr_db"] = psnr(u8[k, 0], given)
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
        gt_recs.append(dict(sp, analysis=analyze(clip), hf_energy=hf_energy(clip)))
    report = {"ckpt": args.ckpt, "steps": args.steps, "guidance": args.guidance, "analyzer_smooth": SMOOTH,
              "analyzer_on_ground_truth_held_out": score(gt_recs)}
    gt_hf = float(np.mean([r["hf_energy"] for r in gt_recs]))
    report["analyzer_on_ground_truth_held_out"]["hf_energy"] = round(gt_hf, 6)
    print("analyzer on ground truth:", report["analyzer_on_ground_truth_held_out"], flush=True)

    recs, clips = [], None
    if args.samples > 0:
        specs = eval_specs(held, args.samples, 100)
        recs, clips = run(be, specs, args.steps, args.guidance, args.batch)
        report["held_out_t2v"] = score(recs)
        hf = float(np.mean([r["hf_energy"] for r in recs]))
        report["held_out_t2v"]["hf_energy"] = round(hf, 6)
        report["held_out_t2v"]["hf_ratio_to_dataset"] = round(hf / gt_hf, 3)
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
        report["held_out_i2v"]["frame0_psnr_db_mean"] = round(float(np.mean([r["frame0_psnr_db"] for r in irecs])), 2)
        report["held_out_i2v"]["frame0_psnr_db_min"] = round(float(np.min([r["frame0_psnr_db"] for r in irecs])), 2)
        report["i2v_records"] = irecs
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
