"""Export a trained checkpoint to an ONNX model pack (manifest.json + graphs + vocab + golden vectors).

    /usr/bin/python3 native/training/export_onnx.py --ckpt native/training/runs/small/final.pt \
        --pack resources/models/shotline-shapes-tiny

Graphs (opset 17, dynamic batch so that CFG runs prompt + empty prompt in one call):
  text_encoder.onnx  input_ids int64 [B, L]                      -> text_emb float32 [B, D]
  denoiser.onnx      x_t float32 [B, 3, F, H, W], t float32 [B],
                     text_emb float32 [B, D], cond_frame float32 [B, 3, H, W], cond_mask float32 [B, 1]
                                                                 -> v float32 [B, 3, F, H, W]
Weights are stored as float16 initializers followed by a Cast to float32 (computation is float32; the
checkpoint's EMA weights are rounded to float16 first, and reference_sampler/evaluate use the same rounding,
so torch and ONNX compute the same function). Pixel space: no decoder graph.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys

import numpy as np
import onnx
import torch
from onnx import numpy_helper, helper, TensorProto

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
import reference_sampler as rs  # noqa: E402
from model import text_out_dim  # noqa: E402

OPSET = 17
FPS = 8


class TextWrap(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids):
        return self.m(input_ids)


def weights_to_fp16(path: str, min_elems: int = 16) -> int:
    """Store every float32 initializer that is exactly representable in float16 as float16 + Cast."""
    m = onnx.load(path)
    g = m.graph
    new_inits, casts, converted = [], [], 0
    for init in g.initializer:
        arr = numpy_helper.to_array(init)
        if arr.dtype == np.float32 and arr.size >= min_elems and np.array_equal(arr.astype(np.float16).astype(np.float32), arr):
            h = numpy_helper.from_array(arr.astype(np.float16), init.name + "__fp16")
            new_inits.append(h)
            casts.append(helper.make_node("Cast", [h.name], [init.name], to=TensorProto.FLOAT, name=init.name + "__cast"))
            converted += 1
        else:
            new_inits.append(init)
    del g.initializer[:]
    g.initializer.extend(new_inits)
    nodes = list(g.node)
    del g.node[:]
    g.node.extend(casts + nodes)
    onnx.checker.check_model(m)
    onnx.save(m, path)
    return converted


def set_output_shapes(path, shapes: dict):
    """torch 1.13 leaves symbolic names on some output dims: write the known static shapes (batch stays dynamic)."""
    m = onnx.load(path)
    for out in m.graph.output:
        if out.name in shapes:
            dims = out.type.tensor_type.shape.dim
            for d, val in zip(dims, shapes[out.name]):
                if isinstance(val, str):
                    d.dim_param = val
                else:
                    d.dim_value = val
    onnx.checker.check_model(m)
    onnx.save(m, path)


def io_spec(path):
    m = onnx.load(path)

    def spec(v):
        tt = v.type.tensor_type
        dims = [d.dim_param if d.dim_param else d.dim_value for d in tt.shape.dim]
        return {"name": v.name, "dtype": {1: "float32", 7: "int64", 10: "float16"}[tt.elem_type], "shape": dims}

    return [spec(v) for v in m.graph.input], [spec(v) for v in m.graph.output]


def architecture(cfg) -> str:
    pred = {"edm": "network output -> x0 by EDM preconditioning (sigma_data 0.5) -> v inside the graph",
            "x0": "x0 prediction converted to v inside the graph"}.get(cfg.get("pred", "v"), "v prediction")
    return (f"pixel-space (2+1)D conv UNet + FiLM on a {cfg['patch']}x{cfg['patch']}-pixel x {cfg.get('tpatch', 1)}-frame "
            f"stem grid, channels {cfg['channels']}, blocks {cfg['blocks']}"
            + (", learned positions" if cfg.get("pos_emb") else "")
            + (", FiLM from [time; text] kept apart" if cfg.get("film_split") else "")
            + (", coordinate planes (x, y, frame time) in the stem and a caption-dependent linear map of them in every "
               "block" if cfg.get("coord") else "") + f"; {pred}"
            + (" + full-resolution refinement head" if cfg.get("refine") else "")
            + ("; image-to-video frame pasted into frame 0 of the x0 estimate" if cfg.get("paste_cond") else "") + "; "
            f"{cfg['text_layers']}-layer word-level transformer text encoder (pooled, {cfg['text_dim']})"
            + (" + bag-of-words residual" if cfg.get("text_bag") else "")
            + (f" + a {cfg['text_dir']}-wide bag of words for the coordinate maps" if cfg.get("text_dir") else "")
            + (f"; trained with object-weighted x0 loss ({cfg['obj_weight']}x)" if cfg.get("obj_weight") else "")
            + (f", objects {cfg['obj_scale']}x the 0.1 size" if cfg.get("obj_scale") else ""))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def write_parity(be, out_dir, args):
    """Raw little-endian tensors (+ index.json) that check_onnx.mjs feeds to onnxruntime-node and compares."""
    os.makedirs(out_dir, exist_ok=True)
    cfg = be.cfg
    F, S, D = cfg["frames"], cfg["size"], text_out_dim(cfg)
    g = torch.Generator().manual_seed(123)
    ids = be.tok.encode_batch(["camera pans right past a yellow square", ""])
    emb = be.encode(ids)
    x = torch.randn(2, 3, F, S, S, generator=g).numpy()
    t = np.array([999.0, 321.0], np.float32)
    cf = (torch.rand(2, 3, S, S, generator=g) * 2 - 1).numpy()
    cm = np.array([[1.0], [0.0]], np.float32)
    v = be.denoise(x, t, emb, cf, cm)
    x_final = rs.sample(be, ["a blue triangle moves up on a gray background"], [7], args.steps, args.guidance)
    tensors = {"input_ids": ids, "text_emb": emb, "x_t": x, "t": t, "cond_frame": cf, "cond_mask": cm, "v": v,
               "sample_x": x_final}
    index = {"sample": {"prompt": "a blue triangle moves up on a gray background", "seed": 7, "steps": args.steps,
                        "guidance": args.guidance}, "tensors": {}}
    for k, a in tensors.items():
        a = np.ascontiguousarray(a)
        a.tofile(os.path.join(out_dir, k + ".bin"))
        index["tensors"][k] = {"dtype": a.dtype.name, "shape": list(a.shape)}
    with open(os.path.join(out_dir, "index.json"), "w") as f:
        json.dump(index, f, indent=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--pack", required=True)
    ap.add_argument("--name", default="shotline-shapes-tiny")
    ap.add_argument("--version", default="0.2.0")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--guidance", type=float, default=4.0)
    ap.add_argument("--parity", default=None, help="folder for torch parity tensors (default: next to the ckpt)")
    ap.add_argument("--eval", default=None, help="evaluate.py --out JSON to summarise into manifest.metrics")
    ap.add_argument("--eval-ts", default=None, help="eval_pack.ts --out JSON, stored as manifest.metrics.eval_ts")
    ap.add_argument("--ort", default=None, help="check_onnx.mjs --json output to summarise into manifest.metrics")
    args = ap.parse_args()
    os.makedirs(args.pack, exist_ok=True)
    be = rs.TorchBackend(args.ckpt, fp16_weights=True)
    cfg, model, tok = be.cfg, be.model, be.tok
    F, S, L, D = cfg["frames"], cfg["size"], cfg["max_len"], text_out_dim(cfg)
    ck = torch.load(args.ckpt, map_location="cpu")

    # ---- text encoder
    te_path = os.path.join(args.pack, "text_encoder.onnx")
    ids = torch.tensor(tok.encode_batch(["a red circle moves left", ""]))
    torch.onnx.export(TextWrap(model.text), (ids,), te_path, opset_version=OPSET, input_names=["input_ids"],
                      output_names=["text_emb"], dynamic_axes={"input_ids": {0: "batch"}, "text_emb": {0: "batch"}},
                      do_constant_folding=True)
    # ---- denoiser
    dn_path = os.path.join(args.pack, "denoiser.onnx")
    B = 2
    dummy = (torch.randn(B, 3, F, S, S), torch.tensor([999.0, 500.0]), torch.randn(B, D), torch.randn(B, 3, S, S),
             torch.tensor([[1.0], [0.0]]))
    names = ["x_t", "t", "text_emb", "cond_frame", "cond_mask"]
    torch.onnx.export(model.unet, dummy, dn_path, opset_version=OPSET, input_names=names, output_names=["v"],
                      dynamic_axes={n: {0: "batch"} for n in names + ["v"]}, do_constant_folding=True)
    set_output_shapes(te_path, {"text_emb": ["batch", D]})
    set_output_shapes(dn_path, {"v": ["batch", 3, F, S, S]})
    for p in (te_path, dn_path):
        n = weights_to_fp16(p)
        print(f"{os.path.basename(p)}: {n} initializers stored as fp16, {os.path.getsize(p) / 1e6:.2f} MB")

    # ---- vocab
    with open(os.path.join(args.pack, "vocab.json"), "w") as f:
        json.dump(be.vocab, f, indent=0)
        f.write("\n")

    # ---- golden vectors for the TypeScript runner
    g = rs.golden(be, "a red circle moves to the left on a dark background", 42, args.steps, args.guidance)
    g2 = rs.golden(be, "", 43, args.steps, args.guidance, cond_from_seed=7)
    g2["prompt_note"] = "image-to-video with an empty prompt; cond_frame given below"
    with open(os.path.join(args.pack, "golden.json"), "w") as f:
        json.dump({"description": "reference_sampler.py outputs (torch, fp16-rounded weights) for runner tests",
                   "text_to_video": g, "image_to_video": g2}, f, indent=1)
        f.write("\n")

    write_parity(be, args.parity or os.path.join(os.path.dirname(os.path.abspath(args.ckpt)), "parity"), args)

    te_in, te_out = io_spec(te_path)
    dn_in, dn_out = io_spec(dn_path)
    metrics = {}
    if args.eval and os.path.exists(args.eval):
        with open(args.eval) as f:
            ev = json.load(f)
        metrics["eval"] = {k: ev[k] for k in ("steps", "guidance", "held_out_t2v", "held_out_i2v", "seen_t2v",
                                              "analyzer_on_ground_truth_held_out") if k in ev}
        metrics["eval"]["what"] = ("native/training/evaluate.py: torch reference sampler (fp16-rounded weights) + "
                                   "Python analyzer on evaluate.eval_specs(held-out, samples, 100)")
    if args.eval_ts:
        with open(args.eval_ts) as f:
            metrics["eval_ts"] = json.load(f)
    if args.ort and os.path.exists(args.ort):
        with open(args.ort) as f:
            ort_rep = json.load(f)
        metrics["onnxruntime_node_cpu"] = ort_rep.get("timing")
        metrics["torch_parity"] = ort_rep.get("checks", {}).get("torch_parity")
    manifest = {
        "format": "shotline-model-pack",
        "format_version": 1,
        "name": args.name,
        "display_name": "Shotline Tiny Shapes (32x32, trained on synthetic clips)",
        "version": args.version,
        "license": "UNLICENSED",
        "license_note": "Weights trained from scratch by the Shotline project on procedurally rendered clips "
                        "(native/training/dataset.py); no third-party data or weights. Same terms as the app.",
        "description": "Demo-grade text/image-to-video model: one coloured shape (circle, square, triangle, diamond, "
                       "cross; red, green, blue, yellow, white, orange, purple, cyan) moving, bouncing, spinning, "
                       "growing/shrinking, or filmed with a camera pan/zoom, on a dark, gray or gradient background.",
        "tasks": ["text-to-video", "image-to-video"],
        "frames": F,
        "fps": FPS,
        "width": S,
        "height": S,
        "output": {"width": 256, "height": 256, "resize": "app scales the decoded frames (ffmpeg scale, lanczos)"},
        "space": "pixel",
        "latent": {"shape": [3, F, S, S], "layout": "CFHW (graph tensors are [batch, C, F, H, W])",
                   "value_range": [-1.0, 1.0], "scaling_factor": 1.0},
        "pixels": {"from_model": "uint8 = floor(clip((x + 1) * 127.5 + 0.5, 0, 255)), channels RGB",
                   "to_model": "x = uint8 / 127.5 - 1"},
        "scheduler": {
            "type": "ddim", "eta": 0.0, "train_timesteps": 1000, "schedule": "cosine", "cosine_s": 0.008,
            "alphas_cumprod": "abar(t) = clamp(cos(((t+1)/1000 + s)/(1+s) * pi/2)^2 / cos(s/(1+s) * pi/2)^2, 0, 1), "
                              "t = 0..999 (abar(999) = 0: zero terminal SNR); abar(-1) = 1",
            "timestep_spacing": "trailing", "timesteps": "t_i = floor((S - i) * 1000 / S) - 1, i = 0..S-1",
            "prediction_type": "v_prediction", "clip_sample": True, "clip_range": 1.0,
            "timestep_input": "float32 timestep index t (not normalised)",
            "default_steps": args.steps,
            "update": "x0 = clip(sqrt(a) x - sqrt(1-a) v, -1, 1); eps = sqrt(1-a) x + sqrt(a) v; "
                      "x = sqrt(a') x0 + sqrt(1-a') eps  (a = abar(t_i), a' = abar(t_{i+1}))",
        },
        "guidance": {"type": "classifier-free", "default": args.guidance, "range": [1.0, 8.0],
                     "uncond_prompt": "",
                     "combine": "v = v_uncond + g * (v_cond - v_uncond)",
                     "batching": "one denoiser call with batch 2: row 0 = prompt, row 1 = empty prompt; at g = 1 "
                                 "(v = v_cond) one call with batch 1, the prompt row only"},
        "noise": {"prng": "mulberry32", "normal": "box-muller",
                  "spec": "state = seed >>> 0; next(): state = (state + 0x6D2B79F5) >>> 0; "
                          "t = imul(state ^ (state >>> 15), state | 1); "
                          "t = ((t + imul(t ^ (t >>> 7), t | 61)) >>> 0) ^ t; return (t ^ (t >>> 14)) >>> 0. "
                          "u = (next() + 0.5) / 2^32. Pairs: r = sqrt(-2 ln u1); z0 = r cos(2 pi u2), "
                          "z1 = r sin(2 pi u2), appended z0 then z1, rounded to float32; fills [1, 3, F, H, W] "
                          "in C order.",
                  "seed_range": [0, 4294967295]},
        "conditioning": {
            "text_to_video": "cond_frame = zeros [B, 3, H, W], cond_mask = 0",
            "image_to_video": "cond_frame = the first frame (resized to width x height, RGB, to_model), "
                              "cond_mask = 1 in both CFG rows; the model generates frame 0 close to it",
        },
        "graphs": {
            "text_encoder": {"file": "text_encoder.onnx", "inputs": te_in, "outputs": te_out,
                             "sha256": sha256(te_path), "bytes": os.path.getsize(te_path)},
            "denoiser": {"file": "denoiser.onnx", "inputs": dn_in, "outputs": dn_out,
                         "sha256": sha256(dn_path), "bytes": os.path.getsize(dn_path)},
            "decoder": None,
        },
        "tokenizer": {
            "type": "word-level", "vocab_file": "vocab.json", "max_length": L,
            "pad_id": tok.pad_id, "unk_id": tok.unk_id, "bos_id": tok.bos_id, "eos_id": None,
            "lowercase": "ASCII A-Z only",
            "normalize": "after lowercasing, every run of characters outside [a-z0-9] becomes one space; "
                         "split on spaces",
            "encode": "[bos_id] + (id of word, or unk_id) for each word; truncate to max_length; "
                      "right-pad with pad_id to max_length",
        },
        "golden": "golden.json",
        "training": {
            "config": ck.get("config_name", "small"), "architecture": architecture(cfg), "steps": ck["step"],
            "batch": ck.get("args", {}).get("batch"), "clips_seen": ck["step"] * (ck.get("args", {}).get("batch") or 0),
            "final_loss_ema": ck["loss"], "train_seconds": round(ck["elapsed_s"], 1),
            "parameters": int(sum(p.numel() for p in model.parameters())),
            "dataset": "native/training/dataset.py (procedural, held-out combos in native/training/held_out.json)",
            "object_scale": cfg.get("obj_scale", 1.0),
        },
        "metrics": metrics,
    }
    with open(os.path.join(args.pack, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(args.pack, n)) for n in os.listdir(args.pack))
    print(f"pack {args.pack}: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
