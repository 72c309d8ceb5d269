"""Train the tiny text-to-video diffusion model on procedurally rendered clips.

    nice -n 10 /usr/bin/python3 native/training/train.py --config small --minutes 42 --out native/training/runs/small
    python3 train.py --config tiny-x0L --device cuda --batch 64 --workers 6 ...   # GPU: see device_run.sh

Objective: v-prediction, cosine schedule with zero terminal SNR (model.alphas_cumprod), T=1000 discrete steps.
Classifier-free guidance: the caption is replaced by the empty caption with probability --p-uncond.
Image-to-video: with probability --p-cond the clean first frame is given as cond_frame with cond_mask=1.
Data: every step renders fresh clips from seeds (seed * 10^9 + step * batch + i); the held-out
colour x shape x motion combinations are never rendered.
The run stops at --steps or --minutes, whichever comes first; the learning-rate schedule follows
the larger of the two progress fractions so a time-limited run still anneals.
"""
from __future__ import annotations

import argparse
import copy
import json
import collections
import math
import multiprocessing
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
from model import CONFIGS, T2V, alphas_cumprod, count_params, edm_precond  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="small", choices=list(CONFIGS))
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "runs", "small"))
    ap.add_argument("--steps", type=int, default=100000)
    ap.add_argument("--minutes", type=float, default=42.0)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--lr-min", type=float, default=5e-5)
    ap.add_argument("--warmup", type=int, default=150)
    ap.add_argument("--ema", type=float, default=0.998)
    ap.add_argument("--p-uncond", type=float, default=0.15)
    ap.add_argument("--p-cond", type=float, default=0.4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--snr-max", type=float, default=5.0, help="x0 loss weight = clip(SNR, 1, snr_max)")
    ap.add_argument("--obj-weight", type=float, default=None, help="object weight at the start (default: the "
                    "config's obj_weight); a warm start continues where its run ended")
    ap.add_argument("--obj-weight-end", type=float, default=None, help="anneal the object weight (config obj_weight) "
                    "geometrically to this value over the run's progress: w = w0 * (end / w0) ** progress. A fixed "
                    "high weight biases the high-noise x0 estimate toward the object colour (oversized blobs)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--init", default=None, help="start from this checkpoint's weights (parameters the new config "
                    "adds, e.g. a refinement head, keep their initialisation)")
    ap.add_argument("--init-key", default="ema", choices=["ema", "model"], help="which weights of --init")
    ap.add_argument("--new-lr-mult", type=float, default=1.0, help="learning-rate multiplier for the parameters "
                    "--init does not have (a fresh, zero-initialised path next to warm weights learns at the warm "
                    "weights' small learning rate otherwise)")
    ap.add_argument("--fast-params", default="", help="comma-separated parameter-name prefixes that also learn at "
                    "--new-lr-mult (e.g. a layout stage warm-started from an earlier run of the same recipe)")
    ap.add_argument("--hi-noise-frac", type=float, default=0.0, help="draw this fraction of each batch's timesteps "
                    "from t >= 700 (the rest uniform): more examples per step where the caption alone decides place "
                    "and path")
    ap.add_argument("--hi-noise-weight", type=float, default=1.0, help="multiply the x0 loss weight of steps with "
                    "t >= 700 (where the caption alone decides place and path) by this")
    ap.add_argument("--aux-batch", type=int, default=32, help="clips per step for the layout stage's supervised "
                    "losses (cfg layout; the first --batch of them are the diffusion batch): captions and masks are "
                    "cheap, so the text side sees many more examples per step than the denoiser")
    ap.add_argument("--sil-rows", type=int, default=8, help="clips per step for the silhouette loss (per-pixel MLP)")
    ap.add_argument("--aux-only-steps", type=int, default=0, help="train only the text encoder and the layout stage "
                    "(no denoiser forward) for this many steps first")
    ap.add_argument("--aux-weight", type=float, default=1.0, help="weight of the layout losses next to the x0 loss")
    ap.add_argument("--p-gt-draft", type=float, default=0.25, help="feed the denoiser the ground-truth layout's draft "
                    "for this fraction of the clips (the rest: the layout stage's own, detached)")
    ap.add_argument("--log-every", type=int, default=25)
    ap.add_argument("--ckpt-every", type=int, default=500)
    ap.add_argument("--ckpt-minutes", type=float, default=5.0, help="also checkpoint this often (wall clock)")
    ap.add_argument("--workers", type=int, default=0, help="render the training clips in this many processes, a "
                    "few steps ahead (a GPU step is faster than rendering its batch on one core); 0 renders in line")
    ap.add_argument("--resume", action="store_true", help="continue from OUT/last.pt (weights, EMA, optimiser, "
                    "step, elapsed time, RNG): a run survives being killed")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    cfg = dict(CONFIGS[args.config])
    dataset.OBJECT_SCALE = cfg.get("obj_scale", 1.0)
    obj_w = cfg.get("obj_weight", 1.0) if args.obj_weight is None else args.obj_weight
    vocab = dataset.build_vocab()
    tok = dataset.Tokenizer(vocab, cfg["max_len"])
    # Fork the renderers before CUDA starts (a forked CUDA context is unusable); they inherit OBJECT_SCALE.
    pool = multiprocessing.get_context("fork").Pool(args.workers) if args.workers > 0 else None
    dev = torch.device(args.device)
    model = T2V(cfg, len(vocab["tokens"]), tok.pad_id).to(dev)
    missing = []
    if args.init:  # warm start: features and text encoder carry over, even to another prediction target
        missing, unexpected = model.load_state_dict(load_checkpoint(args.init)[args.init_key], strict=False)
        assert not unexpected, unexpected
        print(f"initialised from {args.init} ({args.init_key}); new parameters: {missing}", flush=True)
    ema = copy.deepcopy(model).eval()
    for p in ema.parameters():
        p.requires_grad_(False)
    fast = tuple(x for x in args.fast_params.split(",") if x)
    is_new = lambda n: n in set(missing) or (fast and n.startswith(fast))  # noqa: E731
    new = [p for n, p in model.named_parameters() if is_new(n)]
    old = [p for n, p in model.named_parameters() if not is_new(n)]
    groups = [{"params": old, "mult": 1.0}] + ([{"params": new, "mult": args.new_lr_mult}] if new else [])
    opt = torch.optim.AdamW(groups, lr=args.lr, weight_decay=0.01, betas=(0.9, 0.99))
    step, elapsed0 = 0, 0.0
    resume_path = os.path.join(args.out, "last.pt")
    if args.resume and os.path.exists(resume_path):
        ck = load_checkpoint(resume_path)
        model.load_state_dict(ck["model"])
        ema.load_state_dict(ck["ema"])
        opt.load_state_dict(ck["opt"])
        step, elapsed0 = ck["step"], ck["elapsed_s"]
        print(f"resumed from {resume_path} at step {step} ({elapsed0:.0f} s trained)", flush=True)
    abar = torch.tensor(alphas_cumprod(1000), dtype=torch.float32, device=dev)
    empty_ids = torch.tensor([tok.encode("")], dtype=torch.int64, device=dev)
    rng = np.random.default_rng([args.seed, step])  # a resumed run draws fresh (not repeated) noise levels
    B = args.batch
    print(f"config {args.config}: {count_params(model) / 1e6:.2f} M params "
          f"(text {count_params(model.text) / 1e6:.3f} M, unet {count_params(model.unet) / 1e6:.3f} M)", flush=True)
    log = open(os.path.join(args.out, "train_log.jsonl"), "a")

    def save(step, loss_avg, elapsed, final=False):
        ck = {"config": cfg, "config_name": args.config, "vocab": vocab, "step": step, "loss": loss_avg,
              "elapsed_s": elapsed, "args": vars(args), "model": model.state_dict(), "ema": ema.state_dict(),
              "opt": opt.state_dict()}
        path = os.path.join(args.out, "final.pt" if final else "last.pt")
        torch.save(ck, path + ".tmp")
        os.replace(path + ".tmp", path)

    def write_log(rec):
        print(json.dumps(rec), flush=True)
        log.write(json.dumps(rec) + "\n")
        log.flush()

    def checkpoint_if_due(step, loss_avg, t_ckpt):
        """Save OUT/last.pt every --ckpt-every steps or --ckpt-minutes; returns the time of the last save."""
        if step % args.ckpt_every == 0 or time.time() - t_ckpt > args.ckpt_minutes * 60:
            save(step, loss_avg, time.time() - t_start)
            return time.time()
        return t_ckpt

    lay_cfg = cfg.get("layout")
    nb = max(B, args.aux_batch) if lay_cfg else B
    with_mask = obj_w != 1.0 or lay_cfg is not None
    batches = BatchSource(pool, args.seed, nb, cfg["frames"], cfg["size"], with_mask, depth=2 * max(1, args.workers))
    t_start = time.time() - elapsed0
    t_ckpt = time.time()
    loss_avg = None
    while True:
        elapsed = time.time() - t_start
        progress = max(step / args.steps, elapsed / (args.minutes * 60))
        if progress >= 1.0:
            break
        lr = args.lr * min(1.0, (step + 1) / args.warmup)
        lr = args.lr_min + (lr - args.lr_min) * 0.5 * (1 + math.cos(math.pi * progress)) if step >= args.warmup else lr
        for g in opt.param_groups:
            g["lr"] = lr * g.get("mult", 1.0)

        aux_only = lay_cfg is not None and step < args.aux_only_steps
        clips, caps, metas = batches.get(step)
        drop_all = rng.random(nb) < args.p_uncond
        aux_loss, aux_parts, lay_gt = None, {}, None
        if lay_cfg is not None:
            ids_all = torch.tensor(tok.encode_batch(["" if d else c for d, c in zip(drop_all, caps)]), device=dev)
            emb_all = model.text(ids_all)
            lay_gt = layout_targets(metas, clips, drop_all, dev)
            aux_loss, aux_parts = layout_losses(model, emb_all, lay_gt, sil_rows=min(args.sil_rows, nb))
        if aux_only:
            loss = args.aux_weight * aux_loss
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            with torch.no_grad():
                for pe, pm in zip(ema.parameters(), model.parameters()):
                    pe.copy_(pm.detach())  # the denoiser is untouched; the layout stage is just starting
            step += 1
            if step % args.log_every == 0:
                write_log({"step": step, "aux_only": True, **{k: round(v, 4) for k, v in aux_parts.items()},
                           "elapsed_s": round(time.time() - t_start, 1)})
            t_ckpt = checkpoint_if_due(step, loss_avg, t_ckpt)
            continue
        clips, caps, metas = clips[:B], caps[:B], metas[:B]
        x0 = torch.from_numpy(dataset.to_model_space(clips)).to(dev)
        pix_w = None
        if obj_w != 1.0:
            # Object pixels and a 1-pixel ring around them (dilated coverage) weigh obj_w, the background 1:
            # with a plain MSE the ~5 % of object pixels were not worth drawing (docs/model-packs.md).
            m = torch.from_numpy(np.stack([mt["mask"] for mt in metas]))[:, None].to(dev)  # [B, 1, F, H, W]
            m = torch.nn.functional.max_pool3d(m, (1, 3, 3), stride=1, padding=(0, 1, 1))
            w_obj = obj_w if args.obj_weight_end is None else obj_w * (args.obj_weight_end / obj_w) ** progress
            pix_w = 1.0 + (w_obj - 1.0) * m
        drop = drop_all[:B]
        ids = torch.tensor(tok.encode_batch(["" if d else c for d, c in zip(drop, caps)]), device=dev)
        cmask = torch.from_numpy((rng.random(B) < args.p_cond).astype(np.float32)).to(dev)[:, None]
        cframe = x0[:, :, 0] * cmask[:, :, None, None]
        t = rng.integers(0, 1000, B)
        if args.hi_noise_frac > 0:
            t = np.where(rng.random(B) < args.hi_noise_frac, rng.integers(700, 1000, B), t)
        t = torch.from_numpy(t).to(dev)
        a = abar[t].reshape(B, 1, 1, 1, 1)
        noise = torch.randn_like(x0)
        x_t = a.sqrt() * x0 + (1 - a).sqrt() * noise
        v = a.sqrt() * noise - (1 - a).sqrt() * x0

        emb = emb_all[:B] if lay_cfg is not None else model.text(ids)
        kind = cfg.get("pred", "v")
        draft = None
        if lay_cfg is not None:  # the layout stage's own draft (detached), the ground truth's for some clips
            with torch.no_grad():
                lay = model.unet.layout(emb[:, : cfg["text_dim"]])
                use_gt = torch.from_numpy(rng.random(B) < args.p_gt_draft).to(dev)
                lay = {k: (torch.where(use_gt.reshape(-1, *[1] * (v.dim() - 1)), lay_gt[k][:B], v)
                           if k in ("path", "obj", "bg", "conf") else v) for k, v in lay.items()}
                draft = tuple(d.detach() for d in model.unet.layout.draft(lay))
        if kind == "x0":
            pred = model.unet.x0(x_t, t.float(), emb, cframe, cmask, draft)
        else:
            pred = model.unet.raw(x_t, t.float(), emb, cframe, cmask)
        if kind == "edm":  # F target: unit variance at every noise level (model.edm_precond)
            c_skip, c_out, _ = edm_precond(a)
            target = (x0 - c_skip * x_t) / c_out
        else:  # x0-predicting configs learn x0 directly; others v.
            target = x0 if kind == "x0" else v
        if kind == "x0":
            # x0 error weighted by SNR clipped to [1, --snr-max]: min-SNR weighting (Hang et al. 2023) keeps
            # the easy low-noise steps from dominating, the floor of 1 keeps the high-noise steps (where the
            # prompt decides colour, place and path) from vanishing.
            w = (a / (1 - a).clamp(min=1e-8)).clamp(1.0, args.snr_max)
            if args.hi_noise_weight != 1.0:
                w = w * torch.where(t >= 700, args.hi_noise_weight, 1.0).reshape(B, 1, 1, 1, 1).to(w)
            if pix_w is not None:
                w = w * pix_w
            loss = (w * (pred - target) ** 2).mean() / w.expand(B, 1, *pred.shape[2:]).mean()
        else:
            loss = torch.nn.functional.mse_loss(pred, target)
        x0_loss = float(loss)
        if aux_loss is not None:
            loss = loss + args.aux_weight * aux_loss
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        decay = min(args.ema, 1.0 - (1 + step) ** -0.8)  # EMA warm-up: early weights are forgotten fast
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(decay).add_(pm.detach(), alpha=1 - decay)
        li = float(loss)
        loss_avg = li if loss_avg is None else 0.98 * loss_avg + 0.02 * li
        step += 1
        if step % args.log_every == 0:
            el = time.time() - t_start
            rec = {"step": step, "loss": round(li, 5), "x0_loss": round(x0_loss, 5),
                   **{k: round(v, 4) for k, v in aux_parts.items()}, **({"obj_w": round(w_obj, 3)} if obj_w != 1.0 else {}), "loss_avg": round(loss_avg, 5), "lr": round(lr, 7),
                   "elapsed_s": round(el, 1), "s_per_step": round(el / step, 3)}
            write_log(rec)
        t_ckpt = checkpoint_if_due(step, loss_avg, t_ckpt)
    el = time.time() - t_start
    save(step, loss_avg, el, final=True)
    if pool is not None:
        pool.terminate()
    print(json.dumps({"done": True, "steps": step, "elapsed_s": round(el, 1), "loss_avg": loss_avg}), flush=True)


def load_checkpoint(path):
    # Our own checkpoints hold the config, vocabulary and args beside the tensors; newer torch loads only tensors
    # unless told otherwise (weights_only appeared in torch 1.13 and became the default in 2.6).
    return torch.load(path, map_location="cpu", weights_only=False)


def _render_step(job):
    seeds, frames, size, with_mask = job
    return dataset.render_batch(seeds, frames, size, split="train", with_mask=with_mask)


class BatchSource:
    """The training clips of step s are rendered from seeds seed * 10^9 + s * nb + i, in line or by a process pool
    that keeps `depth` steps in flight (bounded, unlike Pool.imap over an endless range)."""

    def __init__(self, pool, seed, nb, frames, size, with_mask, depth):
        self.pool, self.seed, self.nb, self.frames, self.size, self.with_mask = pool, seed, nb, frames, size, with_mask
        self.depth, self.ahead = depth, collections.deque()

    def _job(self, step):
        return (self.seed * 10**9 + step * self.nb + np.arange(self.nb), self.frames, self.size, self.with_mask)

    def get(self, step):
        if self.pool is None:
            return _render_step(self._job(step))
        if self.ahead and self.ahead[0][0] != step:
            self.ahead.clear()
        nxt = self.ahead[-1][0] + 1 if self.ahead else step
        while len(self.ahead) < self.depth:
            self.ahead.append((nxt, self.pool.apply_async(_render_step, (self._job(nxt),))))
            nxt += 1
        return self.ahead.popleft()[1].get()


def layout_targets(metas, clips, drop, dev):
    """Ground truth for the layout stage (cfg layout), from the renderer's object coverage masks: per-frame centre
    and radius (sqrt(area / pi), screen units; frames where under 2 pixels show are marked invalid), the object's
    colour, the background's mean colour (model space), the shape index, and whether the caption was kept."""
    m = np.stack([mt["mask"] for mt in metas]).astype(np.float32)  # [B, F, H, W]
    B, F_, H, W = m.shape
    gx = (np.arange(W) + 0.5) / W * 2 - 1
    gy = (np.arange(H) + 0.5) / H * 2 - 1
    area = m.sum((2, 3))
    valid = area >= 2.0
    a = np.maximum(area, 1e-6)
    cx = (m * gx[None, None, None, :]).sum((2, 3)) / a
    cy = (m * gy[None, None, :, None]).sum((2, 3)) / a
    logr = np.log(np.sqrt(a / math.pi) / (W / 2))
    px = clips.astype(np.float32) / 127.5 - 1.0  # [B, F, H, W, 3]
    bgw = (m < 0.01).astype(np.float32)[..., None]
    bg = (px * bgw).sum((1, 2, 3)) / np.maximum(bgw.sum((1, 2, 3)), 1.0)
    obj = np.array([mt["object_rgb"] for mt in metas], np.float32) * 2 - 1
    shape = np.array([dataset.SHAPES.index(mt["shape"]) for mt in metas])
    keep = ~np.asarray(drop)
    T = lambda x, dt=torch.float32: torch.as_tensor(np.ascontiguousarray(x), dtype=dt, device=dev)  # noqa: E731
    return dict(path=T(np.stack([cx, cy, logr], -1)), valid=T(valid), obj=T(obj), bg=T(bg), shape=T(shape, torch.long),
                keep=T(keep), conf=T(np.where(keep, 10.0, -10.0)), mask=T(m[:, None]))


def layout_losses(model, emb, gt, sil_rows):
    """The layout stage's supervised losses: path (centre + log radius on valid frames), colours, caption-kept
    confidence, shape (training-only classifier on the shape code) and the silhouette drawn on the true path."""
    import torch.nn.functional as Fn
    lay = model.unet.layout(emb[:, : model.cfg["text_dim"]])
    v = gt["valid"][..., None]
    path = (((lay["path"] - gt["path"]) ** 2) * v).sum() / (v.sum() * 3).clamp(min=1.0)
    col = Fn.mse_loss(lay["obj"], gt["obj"]) + Fn.mse_loss(lay["bg"], gt["bg"])
    conf = Fn.binary_cross_entropy_with_logits(lay["conf"], gt["keep"])
    k = gt["keep"] > 0.5
    shape = Fn.cross_entropy(model.aux_shape(lay["code"][k]), gt["shape"][k]) if k.any() else lay["code"].sum() * 0
    r, fr = slice(0, sil_rows), [0, 5, 10, 15]  # 4 frames a clip: the shape is the same in all of them
    kk = gt["keep"][r].reshape(-1, 1, 1, 1, 1) * gt["valid"][r][:, None, fr, None, None]
    logit = model.unet.layout.alpha_logit(gt["path"][r][:, fr], lay["code"][r])
    sil = (Fn.binary_cross_entropy_with_logits(logit, gt["mask"][r][:, :, fr], reduction="none") * kk).sum() / \
        (kk.sum() * logit.shape[-1] * logit.shape[-2]).clamp(min=1.0)
    total = 4.0 * path + col + 0.1 * conf + 0.2 * shape + 4.0 * sil
    parts = dict(path=float(path), col=float(col), conf=float(conf), shape=float(shape), sil=float(sil))
    return total, parts


if __name__ == "__main__":
    main()
