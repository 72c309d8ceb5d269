"""Procedural text-to-video dataset for the Shotline "tiny shapes" model pack.

Every clip is rendered with numpy from a single integer seed, so the dataset is
infinite, needs no download and is bit-for-bit reproducible:

    frames, caption, meta = render_clip(seed)          # frames: uint8 [F, H, W, 3]

A clip shows one object (shape x colour) on a plain or linear-gradient
background, animated by one motion (object motion or camera motion), with a
natural-language caption drawn from several templates.

A HELD-OUT set of colour x shape x motion combinations is never produced by the
training sampler (`sample_spec(..., split="train")`); it is written to
held_out.json and used by evaluate.py.

Screen coordinates: x to the right, y DOWN (row order), both in [-1, 1].
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re

import numpy as np

# ----------------------------------------------------------------------------
# Vocabulary of the world
# ----------------------------------------------------------------------------
COLORS = {
    # name: RGB in [0, 1]
    "red": (0.92, 0.12, 0.10),
    "green": (0.10, 0.78, 0.20),
    "blue": (0.15, 0.30, 0.98),
    "yellow": (0.96, 0.90, 0.12),
    "white": (0.96, 0.96, 0.96),
    "orange": (1.00, 0.52, 0.05),
    "purple": (0.62, 0.20, 0.88),
    "cyan": (0.10, 0.85, 0.90),
}
COLOR_NAMES = list(COLORS)
SHAPES = ["circle", "square", "triangle", "diamond", "cross"]
MOTIONS = [
    "left", "right", "up", "down",          # object translation
    "bounce", "spin", "grow", "shrink",     # object animation
    "pan_left", "pan_right",                # camera pans (scene moves the other way)
    "zoom_in", "zoom_out",                  # camera zooms
]
BACKGROUNDS = ["dark", "gray", "gradient"]
# Object radius multiplier (1.0: radius 0.22-0.30 of the half-width, ~7 px across on 32 x 32). Configs with
# obj_scale (model.CONFIGS "tiny-x0b": 1.25) set it for training, and reference_sampler.TorchBackend sets it
# from the checkpoint, so evaluate.py's ground-truth and image-to-video clips match what the model saw.
OBJECT_SCALE = 1.0

# Direction of the object's on-screen motion for the motions that have one
# (used by evaluate.py). A camera pan to the right makes the scene move left.
SCREEN_DIRECTION = {
    "left": "left", "right": "right", "up": "up", "down": "down",
    "pan_left": "right", "pan_right": "left",
}

# ----------------------------------------------------------------------------
# Held-out combinations
# ----------------------------------------------------------------------------

def held_out_combos() -> list[tuple[str, str, str]]:
    """One motion is held out for each (colour, shape) pair: 40 of 480 combos.

    The motion index walks through the list with stride 5 (coprime with 12), so
    every motion, colour and shape is held out in some combos and still seen
    in training with other partners. Half of them have a screen direction.
    """
    out = []
    i = 0
    for c in COLOR_NAMES:
        for s in SHAPES:
            m = MOTIONS[(i * 5 + (i // 12)) % len(MOTIONS)]
            out.append((c, s, m))
            i += 1
    return out


HELD_OUT = set(held_out_combos())


def write_held_out(path: str) -> None:
    combos = held_out_combos()
    with open(path, "w") as f:
        json.dump({
            "description": "colour x shape x motion combinations never rendered for training",
            "count": len(combos),
            "combos": [{"color": c, "shape": s, "motion": m} for c, s, m in combos],
        }, f, indent=1)
        f.write("\n")

# ----------------------------------------------------------------------------
# Captions
# ----------------------------------------------------------------------------
MOTION_TEMPLATES = {
    "left": ["{o} moves to the left", "{o} slides left", "{o} moving left", "{o} travels from right to left",
             "{o} drifts leftward", "{o} goes left"],
    "right": ["{o} moves to the right", "{o} slides right", "{o} moving right", "{o} travels from left to right",
              "{o} drifts rightward", "{o} goes right"],
    "up": ["{o} moves up", "{o} rises", "{o} floats upward", "{o} moves from bottom to top", "{o} goes up",
           "{o} moving upward"],
    "down": ["{o} moves down", "{o} falls", "{o} sinks downward", "{o} moves from top to bottom", "{o} goes down",
             "{o} drops down"],
    "bounce": ["{o} bounces", "{o} bouncing up and down", "{o} hops", "{o} bounces on the floor", "a bouncing {n}"],
    "spin": ["{o} spins", "{o} rotates", "{o} spinning in place", "{o} turns around", "a rotating {n}"],
    "grow": ["{o} grows", "{o} gets bigger", "{o} expands", "{o} growing larger", "a growing {n}"],
    "shrink": ["{o} shrinks", "{o} gets smaller", "{o} contracts", "{o} shrinking away", "a shrinking {n}"],
    "pan_left": ["camera pans left past {o}", "the camera pans to the left across {o}", "{o} camera panning left",
                 "pan left over {o}"],
    "pan_right": ["camera pans right past {o}", "the camera pans to the right across {o}",
                  "{o} camera panning right", "pan right over {o}"],
    "zoom_in": ["camera zooms in on {o}", "zoom in to {o}", "push in on {o}", "the camera zooms in toward {o}"],
    "zoom_out": ["camera zooms out from {o}", "zoom out from {o}", "pull back from {o}",
                 "the camera zooms out away from {o}"],
}
OBJECT_TEMPLATES = ["a {c} {s}", "the {c} {s}", "a small {c} {s}", "one {c} {s}", "{c} {s}"]
BACKGROUND_PHRASES = {
    "dark": ["on a dark background", "on a black background", "against a dark backdrop", "in the dark"],
    "gray": ["on a gray background", "on a grey background", "against a gray backdrop"],
    "gradient": ["on a gradient background", "over a colorful gradient", "against a gradient backdrop"],
}


def make_caption(rng: np.random.Generator, color: str, shape: str, motion: str, background: str) -> str:
    obj = OBJECT_TEMPLATES[rng.integers(len(OBJECT_TEMPLATES))].format(c=color, s=shape)
    tpl = MOTION_TEMPLATES[motion][rng.integers(len(MOTION_TEMPLATES[motion]))]
    cap = tpl.format(o=obj, n=f"{color} {shape}")
    if rng.random() < 0.6:
        phrases = BACKGROUND_PHRASES[background]
        cap += " " + phrases[rng.integers(len(phrases))]
    return cap


def canonical_caption(color: str, shape: str, motion: str, background: str = "dark") -> str:
    """The first template of everything: used for evaluation prompts."""
    obj = OBJECT_TEMPLATES[0].format(c=color, s=shape)
    cap = MOTION_TEMPLATES[motion][0].format(o=obj, n=f"{color} {shape}")
    return cap + " " + BACKGROUND_PHRASES[background][0]


def all_caption_words() -> list[str]:
    words = set()
    texts = []
    for lst in MOTION_TEMPLATES.values():
        texts += lst
    texts += OBJECT_TEMPLATES
    for lst in BACKGROUND_PHRASES.values():
        texts += lst
    for t in texts:
        for w in normalize(t.replace("{o}", " ").replace("{n}", " ").replace("{c}", " ").replace("{s}", " ")):
            words.add(w)
    words |= set(COLOR_NAMES) | set(SHAPES)
    return sorted(words)

# ----------------------------------------------------------------------------
# Word-level tokenizer (the TypeScript runner reimplements exactly this)
# ----------------------------------------------------------------------------
PAD, UNK, BOS = "<pad>", "<unk>", "<bos>"


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def normalize(text: str) -> list[str]:
    """Lowercase ASCII A-Z only, turn every run of characters outside [a-z0-9] into one space, split."""
    return re.sub(r"[^a-z0-9]+", " ", text.translate(_ASCII_LOWER)).split()


def build_vocab() -> dict:
    tokens = [PAD, UNK, BOS] + all_caption_words()
    return {"type": "word-level", "tokens": tokens}


class Tokenizer:
    def __init__(self, vocab: dict, max_length: int = 20):
        self.tokens = vocab["tokens"]
        self.index = {t: i for i, t in enumerate(self.tokens)}
        self.max_length = max_length
        self.pad_id, self.unk_id, self.bos_id = self.index[PAD], self.index[UNK], self.index[BOS]

    def encode(self, text: str) -> list[int]:
        ids = [self.bos_id] + [self.index.get(w, self.unk_id) for w in normalize(text)]
        ids = ids[: self.max_length]
        return ids + [self.pad_id] * (self.max_length - len(ids))

    def encode_batch(self, texts) -> np.ndarray:
        return np.array([self.encode(t) for t in texts], dtype=np.int64)

# ----------------------------------------------------------------------------
# Rendering
# ----------------------------------------------------------------------------

def _box(px, py, bx, by):
    dx, dy = np.abs(px) - bx, np.abs(py) - by
    out = np.sqrt(np.maximum(dx, 0) ** 2 + np.maximum(dy, 0) ** 2)
    return out + np.minimum(np.maximum(dx, dy), 0)


def shape_sdf(shape: str, px, py, r):
    """Signed distance (approximate outside corners) of a shape of 'radius' r centred at 0."""
    if shape == "circle":
        return np.sqrt(px * px + py * py) - r
    if shape == "square":
        return _box(px, py, 0.82 * r, 0.82 * r)
    if shape == "diamond":
        return (np.abs(px) + np.abs(py) - 1.2 * r) / math.sqrt(2)
    if shape == "triangle":
        R = 1.25 * r  # circumradius; inradius R/2; apex pointing up (-y)
        d = None
        for k in range(3):
            a = -math.pi / 2 + math.pi + 2 * math.pi * k / 3  # outward normals: down, upper-left, upper-right
            e = px * math.cos(a) + py * math.sin(a) - R / 2
            d = e if d is None else np.maximum(d, e)
        return d
    if shape == "cross":
        return np.minimum(_box(px, py, r, 0.36 * r), _box(px, py, 0.36 * r, r))
    raise ValueError(shape)


def _linear_schedule(tau, a, b):
    return a + (b - a) * tau


def sample_spec(rng: np.random.Generator, split: str = "train") -> dict:
    """Draw colour/shape/motion/background. split: 'train' avoids HELD_OUT, 'held_out' draws only from it, 'any'."""
    if split == "held_out":
        combos = held_out_combos()
        c, s, m = combos[rng.integers(len(combos))]
    else:
        while True:
            c = COLOR_NAMES[rng.integers(len(COLOR_NAMES))]
            s = SHAPES[rng.integers(len(SHAPES))]
            m = MOTIONS[rng.integers(len(MOTIONS))]
            if split == "any" or (c, s, m) not in HELD_OUT:
                break
    bg = BACKGROUNDS[rng.integers(len(BACKGROUNDS))]
    return {"color": c, "shape": s, "motion": m, "background": bg}


def render_clip(seed: int, frames: int = 16, size: int = 32, split: str = "train", spec: dict | None = None,
                with_mask: bool = False):
    """Render one clip. Returns (uint8 [F, H, W, 3], caption, meta); with_mask adds meta["mask"], the object's
    coverage float32 [F, H, W] in [0, 1] (train.py weights the loss with it)."""
    rng = np.random.default_rng(seed)
    if spec is None:
        spec = sample_spec(rng, split)
    else:
        spec = dict(spec)
        spec.setdefault("background", BACKGROUNDS[rng.integers(len(BACKGROUNDS))])
    color, shape, motion, background = spec["color"], spec["shape"], spec["motion"], spec["background"]
    F, H, W = frames, size, size
    tau = np.linspace(0.0, 1.0, F)

    # ---- object trajectory in world coordinates (the camera starts at identity)
    r = rng.uniform(0.22, 0.30) * OBJECT_SCALE
    x0, y0 = rng.uniform(-0.35, 0.35), rng.uniform(-0.35, 0.35)
    ox, oy = np.full(F, x0), np.full(F, y0)
    scale = np.ones(F)
    # small tilt only, so that a square never looks like a diamond (except while spinning)
    angle = np.full(F, rng.uniform(-0.25, 0.25))
    cam_x, cam_y, zoom = np.zeros(F), np.zeros(F), np.ones(F)
    dist = rng.uniform(0.9, 1.3)  # total travel for translations
    if motion in ("left", "right"):
        sgn = -1 if motion == "left" else 1
        ox = _linear_schedule(tau, -sgn * dist / 2, sgn * dist / 2) + rng.uniform(-0.1, 0.1)
        oy = oy + rng.uniform(-0.06, 0.06) * tau
    elif motion in ("up", "down"):
        sgn = -1 if motion == "up" else 1
        oy = _linear_schedule(tau, -sgn * dist / 2, sgn * dist / 2) + rng.uniform(-0.1, 0.1)
        ox = ox + rng.uniform(-0.06, 0.06) * tau
    elif motion == "bounce":
        floor = rng.uniform(0.35, 0.55)
        h = rng.uniform(0.6, 0.9)
        n = rng.choice([1.5, 2.0, 2.5])
        oy = floor - h * np.abs(np.sin(math.pi * n * tau + rng.uniform(0, 0.3)))
        ox = ox + rng.uniform(-0.15, 0.15) * tau
    elif motion == "spin":
        angle = angle + rng.choice([-1, 1]) * rng.uniform(1.0, 2.0) * math.pi * tau
    elif motion in ("grow", "shrink"):
        a, b = 0.5, rng.uniform(1.6, 2.0)
        scale = _linear_schedule(tau, a, b) if motion == "grow" else _linear_schedule(tau, b, a)
        ox, oy = ox * 0.5, oy * 0.5
    elif motion in ("pan_left", "pan_right"):
        sgn = -1 if motion == "pan_left" else 1
        cam_x = _linear_schedule(tau, -sgn * dist / 2, sgn * dist / 2)
        ox = ox * 0.3
    elif motion in ("zoom_in", "zoom_out"):
        z1 = rng.uniform(1.7, 2.1)
        zoom = _linear_schedule(tau, 0.85, z1) if motion == "zoom_in" else _linear_schedule(tau, z1, 0.85)
        ox, oy = ox * 0.6, oy * 0.6
    else:
        raise ValueError(motion)

    # ---- pixel grid in screen coords, then world coords per frame
    g = (np.arange(W) + 0.5) / W * 2 - 1
    sx = g[None, None, :]
    sy = g[None, :, None]
    wx = sx / zoom[:, None, None] + cam_x[:, None, None]  # [F, 1, W]
    wy = sy / zoom[:, None, None] + cam_y[:, None, None]  # [F, H, 1]
    wx, wy = np.broadcast_to(wx, (F, H, W)), np.broadcast_to(wy, (F, H, W))

    # ---- background (linear in world coordinates, so pans/zooms move it)
    if background == "dark":
        base = rng.uniform(0.02, 0.14) + rng.uniform(-0.03, 0.03, 3)
        c0 = c1 = np.clip(base, 0, 1)
        bdir = np.array([1.0, 0.0])
    elif background == "gray":
        base = rng.uniform(0.30, 0.45) + rng.uniform(-0.02, 0.02, 3)
        c0 = c1 = np.clip(base, 0, 1)
        bdir = np.array([1.0, 0.0])
    else:
        c0 = rng.uniform(0.0, 0.40, 3)
        c1 = rng.uniform(0.0, 0.40, 3)
        th = rng.uniform(0, 2 * math.pi)
        bdir = np.array([math.cos(th), math.sin(th)])
    proj = np.clip((wx * bdir[0] + wy * bdir[1]) / 3.0 + 0.5, 0, 1)  # spans [-1.5, 1.5] world units
    bg = c0[None, None, None, :] + (c1 - c0)[None, None, None, :] * proj[..., None]

    # ---- object
    col = np.array(COLORS[color]) + rng.uniform(-0.05, 0.05, 3)
    col = np.clip(col * rng.uniform(0.9, 1.04), 0, 1)
    lx = wx - ox[:, None, None]
    ly = wy - oy[:, None, None]
    ca, sa = np.cos(angle)[:, None, None], np.sin(angle)[:, None, None]
    px, py = ca * lx + sa * ly, -sa * lx + ca * ly
    rr = r * scale[:, None, None]
    sd = shape_sdf(shape, px, py, rr)
    px_per_unit = (W / 2) * zoom[:, None, None]
    alpha = np.clip(0.5 - sd * px_per_unit, 0, 1)[..., None]
    img = bg * (1 - alpha) + col[None, None, None, :] * alpha
    frames_u8 = np.clip(np.round(img * 255), 0, 255).astype(np.uint8)

    caption = make_caption(rng, color, shape, motion, background)
    meta = dict(spec, caption=caption, seed=int(seed), object_rgb=[float(v) for v in col])
    if with_mask:
        meta["mask"] = alpha[..., 0].astype(np.float32)
    return frames_u8, caption, meta


def render_batch(seeds, frames=16, size=32, split="train", with_mask=False):
    clips, caps, metas = [], [], []
    for s in seeds:
        f, c, m = render_clip(int(s), frames, size, split, with_mask=with_mask)
        clips.append(f)
        caps.append(c)
        metas.append(m)
    return np.stack(clips), caps, metas


def to_model_space(clips_u8: np.ndarray) -> np.ndarray:
    """uint8 [B, F, H, W, 3] -> float32 [B, 3, F, H, W] in [-1, 1]."""
    x = clips_u8.astype(np.float32) / 127.5 - 1.0
    return np.ascontiguousarray(x.transpose(0, 4, 1, 2, 3))


def from_model_space(x: np.ndarray) -> np.ndarray:
    """float [B, 3, F, H, W] in [-1, 1] -> uint8 [B, F, H, W, 3]."""
    y = np.clip((x + 1.0) * 127.5 + 0.5, 0, 255).astype(np.uint8)
    return y.transpose(0, 2, 3, 4, 1)


def save_contact_sheet(clips_u8: np.ndarray, path: str, upscale: int = 3):
    """Write a PPM/PNG grid: one row per clip, one column per frame (needs no extra package)."""
    B, F, H, W, _ = clips_u8.shape
    grid = np.zeros((B * (H + 1), F * (W + 1), 3), np.uint8)
    for b in range(B):
        for f in range(F):
            grid[b * (H + 1): b * (H + 1) + H, f * (W + 1): f * (W + 1) + W] = clips_u8[b, f]
    grid = grid.repeat(upscale, 0).repeat(upscale, 1)
    write_png(path, grid)


def write_png(path: str, img: np.ndarray):
    import struct
    import zlib
    h, w, _ = img.shape
    raw = b"".join(b"\x00" + img[y].tobytes() for y in range(h))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def main():
    ap = argparse.ArgumentParser(description="Write vocab, held-out list and a preview of the synthetic dataset")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "data"))
    ap.add_argument("--preview", type=int, default=12, help="clips in the preview contact sheet")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "vocab.json"), "w") as f:
        json.dump(build_vocab(), f, indent=0)
    write_held_out(os.path.join(os.path.dirname(__file__), "held_out.json"))
    clips, caps, _ = render_batch(range(args.seed, args.seed + args.preview))
    save_contact_sheet(clips, os.path.join(args.out, "preview.png"))
    with open(os.path.join(args.out, "preview.txt"), "w") as f:
        f.write("\n".join(caps) + "\n")
    print("\n".join(caps))
    print(f"vocab: {len(build_vocab()['tokens'])} tokens; held-out combos: {len(held_out_combos())}")


if __name__ == "__main__":
    main()
