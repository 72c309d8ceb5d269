"""Tiny text-to-video diffusion model: word-level text encoder + factorised (2+1)D conv UNet.

Pixel space. The denoiser sees x_t [B, 3, F, H, W] (pixels in [-1, 1]), the DDPM timestep
index t [B] (float, 0..T-1), the pooled text embedding [B, D], and first-frame conditioning
(cond_frame [B, 3, H, W] in [-1, 1], cond_mask [B, 1] in {0, 1}); it predicts v.

Everything here exports to ONNX opset 17 with torch 1.13 (no nn.MultiheadAttention fast
paths, no einops, explicit reshapes).
"""
from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

# The shipped recipe (pack 0.4.0); the direction trials after it (tiny-x0d…i) add keys to it.
TINY_X0C = dict(frames=16, size=32, patch=4, tpatch=2, channels=[64, 192], blocks=[1, 3], tdown=[True],
                attn_bottleneck=False, text_dim=128, text_layers=1, text_heads=4, emb_dim=192, max_len=20,
                groups=8, pos_emb=True, pred="x0", refine=24, refine_cond=True, text_bag=True, film_split=True,
                obj_weight=8.0, obj_scale=1.25, coord=True, paste_cond=True)

CONFIGS = {
    # Sized for one CPU core (~45 min of training) and ~5 s per clip in onnxruntime-node on 2 cores.
    "small": dict(frames=16, size=32, patch=2, tpatch=2, channels=[32, 64, 128], blocks=[1, 1, 2],
                  tdown=[False, True], attn_bottleneck=True, text_dim=64, text_layers=2, text_heads=4, emb_dim=128,
                  max_len=20, groups=8),
    # "small" predicting x0 (converted to v inside the graph): the network no longer has to
    # reproduce per-pixel noise at low noise levels (what left "small" grainy), and the x0 loss
    # weighs the high-noise steps, where the prompt decides the picture, as much as the rest.
    "small-x0": dict(frames=16, size=32, patch=2, tpatch=2, channels=[32, 64, 128], blocks=[1, 1, 2],
                     tdown=[False, True], attn_bottleneck=True, text_dim=64, text_layers=2, text_heads=4, emb_dim=128,
                     max_len=20, groups=8, pred="x0"),
    # The shipped pack since 0.2 (docs/model-packs.md, "Diagnosis" and "Recipe"): 4x4-pixel x 2-frame
    # stem so the expensive blocks run on an 8x8x8 / 4x4x4 grid (~0.06 CPU-seconds per training clip on
    # one core, vs ~0.07 for "small"), learned absolute positions, and EDM preconditioning: the
    # network output becomes an x0 estimate (clean, smooth frames at the last steps) and the loss has
    # unit scale at every noise level. The graph still outputs v, so the runner is unchanged.
    "tiny-edm": dict(frames=16, size=32, patch=4, tpatch=2, channels=[64, 192], blocks=[1, 3], tdown=[True],
                     attn_bottleneck=False, text_dim=64, text_layers=2, text_heads=4, emb_dim=128, max_len=20,
                     groups=8, pos_emb=True, pred="edm"),
    # What ships: "tiny-edm" with a plain x0 output. With a 4x4x2 stem, EDM's skip path leaves the network to
    # cancel the noise of 96 pixel values per cell through 64 channels at low noise levels, which it cannot
    # (grain; docs/model-packs.md, "Diagnosis"); an x0 output only has to draw the clean clip.
    "tiny-x0": dict(frames=16, size=32, patch=4, tpatch=2, channels=[64, 192], blocks=[1, 3], tdown=[True],
                    attn_bottleneck=False, text_dim=64, text_layers=2, text_heads=4, emb_dim=128, max_len=20,
                    groups=8, pos_emb=True, pred="x0"),
    # "tiny-x0" + the full-resolution refinement head (VideoUNet.refined): what ships in pack 0.2.
    "tiny-x0r": dict(frames=16, size=32, patch=4, tpatch=2, channels=[64, 192], blocks=[1, 3], tdown=[True],
                     attn_bottleneck=False, text_dim=64, text_layers=2, text_heads=4, emb_dim=128, max_len=20,
                     groups=8, pos_emb=True, pred="x0", refine=24),
    # Issue 10, third recipe (docs/model-packs.md, "Pack 0.3"): "tiny-x0r" with (1) the x0 loss weighted toward
    # the object (train.py, obj_weight: object pixels + a 1-pixel ring count 8x; the object covers ~5-8 % of
    # the frame, so the plain MSE was minimised by "background, no object"), (2) text conditioning that cannot
    # be averaged away: a 1-layer transformer plus a residual bag-of-words (masked mean of its own word
    # embeddings) at width 128, and FiLM from [time; text] kept apart (2 x 192) in every block,
    # (3) the refinement head from step 0, also fed the image-to-video frame (refine_cond), (4) objects 1.25x
    # larger (dataset.OBJECT_SCALE).
    "tiny-x0b": dict(frames=16, size=32, patch=4, tpatch=2, channels=[64, 192], blocks=[1, 3], tdown=[True],
                     attn_bottleneck=False, text_dim=128, text_layers=1, text_heads=4, emb_dim=192, max_len=20,
                     groups=8, pos_emb=True, pred="x0", refine=24, refine_cond=True, text_bag=True, film_split=True,
                     obj_weight=8.0, obj_scale=1.25),
    # Issue 10, fourth recipe (docs/model-packs.md, "Pack 0.4"): "tiny-x0b" + (1) coordinate planes (x, y, frame
    # time) into the stem and a caption-dependent linear map of the coordinates added in every block
    # (coord_film: shift_c += a_c(emb) x + b_c(emb) y + c_c(emb) t + d_c(emb) x t + e_c(emb) y t), so "moves left"
    # becomes a feature that is zero on the line x = x0 + v t; (2) the image-to-video frame pasted into frame 0 of
    # the x0 estimate inside the graph (paste_cond). Graph inputs unchanged. Warm-started from 0.3.0 (new weights
    # zero-initialised, so step 0 is exactly 0.3.0).
    "tiny-x0c": dict(TINY_X0C),
    # "tiny-x0c" + a fresh word path for the coordinate map (text_dir): the trained text MLP had squeezed "left" vs
    # "right" to 7 % of its output (colour: 120 %), so the coordinate map could not tell them apart (docs,
    # "Pack 0.4"). A second bag of words (unit-variance embeddings, masked mean, 32 wide) is appended to text_emb
    # and feeds only the coordinate maps. text_emb grows to 160 (the runner reads it from the manifest).
    "tiny-x0d": dict(TINY_X0C, text_dir=32),
    # "tiny-x0d" + a caption-dependent position embedding (dir_pos): the stem grid's learned position embedding
    # plus a zero-initialised linear map of the direction bag of words to a full [64, 8, 8, 8] map, so "left" can
    # mark the cells the object passes through directly (the coordinate maps can only draw a path through a
    # nonlinearity; 0.4.0 and the tiny-x0d trial never learned it: docs/model-packs.md, "Direction trials").
    "tiny-x0e": dict(TINY_X0C, text_dir=32, dir_pos=True),
    # "tiny-x0c" + a per-word position map (word_map: every vocabulary word owns a zero-initialised [8, 8, 8, 8] map
    # of the stem grid; the caption's masked mean of them, scaled by the noise level sqrt(1 - abar), goes through a
    # 1x1x1 conv into the stem features). Measured on 0.4.0 (docs, "Direction trials"): the loss gradient at the
    # stem for "left" vs "right" clips at t = 950 is consistent (two halves of 12 clips: cosine 0.79) and sits on the
    # path ends, but a map read from a pooled caption vector shares every weight with the common words and learned
    # nothing in 250 steps; a word's own map gets only its clips' gradient. The text encoder's output carries the
    # pooled maps (text_emb widens to 128 + 4096; the runner reads the width from the manifest).
    "tiny-x0f": dict(TINY_X0C, word_map=8),
    # "tiny-x0f" with the word maps added where the network cannot ignore them: to the last decoder features, right
    # before the output layer (at the stem, the trained network ignores its input at t = 999, and with it the maps:
    # a 20x larger map changed the left/right x0 by 0.0000), and the caption's mean map scaled by 4 (a direction word
    # is ~1/8 of the words). Measured in docs/model-packs.md, "Direction trials".
    "tiny-x0g": dict(TINY_X0C, word_map=8, word_map_at="out", word_map_scale=4.0),
    # word maps added to the x0 estimate itself (word_map_at "x0": a 1x1x1 conv to the 96 pixel values of each stem
    # cell, gated by (1 - abar)^2 so the last steps are untouched): also ignored before the output layer (a
    # path-shaped perturbation of norm 8 per cell moved x0 by 0.0035 rms there, 0.0083 at the stem).
    "tiny-x0h": dict(TINY_X0C, word_map=8, word_map_at="x0", word_map_scale=4.0),
    # Direction from context (docs, "Direction trials"): the word "left" shows rightward screen motion in 58.5 % of
    # the training captions that hold it (camera pans), so no bag-of-words path can learn it. Here every token's
    # *contextual* output (after the transformer, which sees "pans" next to "left") maps linearly to a k x 4 x 4 x 4
    # map (zero-initialised, summed over tokens), added after the FiLM of the 4 x 4 x 4 blocks through a 1x1x1 conv,
    # gated by sqrt(1 - abar). text_emb widens to 128 + 512.
    "tiny-x0i": dict(TINY_X0C, token_map=8),
    # Issue 10, fifth recipe (docs/model-packs.md, "Pack 0.5 recipe"): "tiny-x0c" + a learned layout stage inside the
    # denoiser (LayoutPrior), the design of layout-guided video diffusion (text -> per-frame object box -> video): an
    # MLP reads the text embedding and predicts the object's path (centre, size per frame), its colour, the
    # background colour and a shape code; a per-pixel MLP draws the shape code's silhouette in the object's own
    # coordinates; the resulting draft clip enters the stem and the refinement head and is blended into the x0
    # estimate by a learned, noise-dependent gate. Trained with supervised losses from the renderer's ground truth
    # (path, colours, mask) next to the diffusion loss; the supervision heads are training-only (T2V.aux_*), the
    # layout stage is part of the exported denoiser (graph I/O unchanged).
    "tiny-x0L": dict(TINY_X0C, layout=dict(hidden=256, code=8, sil=32, sprite=12)),
    # For a CUDA GPU (documented, not run here): 48x48 would also fit; 64x64 and wider everywhere.
    "big": dict(frames=16, size=64, patch=2, tpatch=1, channels=[96, 192, 288, 384], blocks=[2, 2, 2, 2],
                tdown=[False, True, True], attn_bottleneck=True, text_dim=256, text_layers=4, text_heads=8,
                emb_dim=512, max_len=20, groups=32),
}


# ----------------------------------------------------------------------------
# Text encoder
# ----------------------------------------------------------------------------
class SelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, bias=None):  # x [B, N, D]; bias [B, 1, 1, N] additive
        B, N, D = x.shape
        h = self.heads
        qkv = self.qkv(x).reshape(B, N, 3, h, D // h).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        att = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(D // h))
        if bias is not None:
            att = att + bias
        att = att.softmax(dim=-1)
        out = torch.matmul(att, v).permute(0, 2, 1, 3).reshape(B, N, D)
        return self.proj(out)


class TransformerLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = SelfAttention(dim, heads)
        self.ln2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, bias=None):
        x = x + self.attn(self.ln1(x), bias)
        return x + self.mlp(self.ln2(x))


class TextEncoder(nn.Module):
    """token ids int64 [B, L] (BOS first, PAD=0 after) -> pooled embedding float32 [B, D]."""

    def __init__(self, vocab_size, dim, layers, heads, max_len, pad_id=0, bag=False, dir_dim=0, map_dim=0,
                 tmap_dim=0):
        super().__init__()
        self.pad_id = pad_id
        # tmap_dim (cfg token_map): each token's contextual output -> its own position map (flattened, zero at init),
        # summed over the caption's tokens and appended
        self.tmap = nn.Linear(dim, tmap_dim, bias=False) if tmap_dim else None
        if self.tmap is not None:
            nn.init.zeros_(self.tmap.weight)
        # map_dim (cfg word_map): every word's own position map (flattened), zero at init; the masked mean is appended
        self.wmap = nn.Embedding(vocab_size, map_dim) if map_dim else None
        if self.wmap is not None:
            nn.init.zeros_(self.wmap.weight)
        # dir_dim (cfg text_dir): a second, unit-variance bag of words appended to the output, read only by the
        # denoiser's coordinate maps (every word keeps a large, separate direction in it)
        self.dir = nn.Embedding(vocab_size, dir_dim) if dir_dim else None
        # Bag of words (cfg text_bag): the masked mean of a second embedding table is added to the pooled
        # transformer output, so every word ("red", "left") has a direct, linear path into the FiLM.
        self.bag = nn.Embedding(vocab_size, dim) if bag else None
        self.tok = nn.Embedding(vocab_size, dim)
        self.pos = nn.Parameter(torch.randn(1, max_len, dim) * 0.02)
        self.layers = nn.ModuleList([TransformerLayer(dim, heads) for _ in range(layers)])
        self.ln = nn.LayerNorm(dim)

    def forward(self, ids):
        valid = (ids != self.pad_id).float()  # [B, L]
        x = self.tok(ids) + self.pos[:, : ids.shape[1]]
        bias = ((1.0 - valid) * -1e4)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, bias)
        x = self.ln(x)
        denom = valid.sum(1, keepdim=True).clamp(min=1.0)
        pooled = (x * valid[..., None]).sum(1) / denom
        if self.bag is not None:
            pooled = pooled + (self.bag(ids) * valid[..., None]).sum(1) / denom
        if self.dir is not None:
            pooled = torch.cat([pooled, (self.dir(ids) * valid[..., None]).sum(1) / denom], dim=1)
        if self.wmap is not None:
            pooled = torch.cat([pooled, (self.wmap(ids) * valid[..., None]).sum(1) / denom], dim=1)
        if self.tmap is not None:
            pooled = torch.cat([pooled, (self.tmap(x) * valid[..., None]).sum(1)], dim=1)
        return pooled


# ----------------------------------------------------------------------------
# Video UNet
# ----------------------------------------------------------------------------
def text_out_dim(cfg) -> int:
    """Width of the text encoder's output (the denoiser's text_emb input)."""
    return cfg["text_dim"] + cfg.get("text_dir", 0) + word_map_dim(cfg) + token_map_dim(cfg)


def token_map_dim(cfg) -> int:
    """Flattened size of one token's map over the bottom (4 x 4 x 4) grid (cfg token_map channels), 0 without."""
    if not cfg.get("token_map"):
        return 0
    p, pt = cfg["patch"], cfg.get("tpatch", 1)
    t = cfg["frames"] // pt // (2 if cfg["tdown"][-1] else 1)
    return cfg["token_map"] * t * (cfg["size"] // p // 2) ** 2


def word_map_dim(cfg) -> int:
    """Flattened size of one word's position map (cfg word_map channels x the stem grid), 0 without word maps."""
    if not cfg.get("word_map"):
        return 0
    return cfg["word_map"] * (cfg["frames"] // cfg.get("tpatch", 1)) * (cfg["size"] // cfg["patch"]) ** 2


def timestep_embedding(t, dim, max_period=10000.0):
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


N_COORD = 5  # x, y, t, x*t, y*t


def coord_planes(T, H, W, device=None):
    """[1, 5, T, H, W] constant planes in [-1, 1]: column x, row y, frame time t, and x*t, y*t. Built from Python
    ints, so the exported graph holds them as constants."""
    t = torch.linspace(-1.0, 1.0, T, device=device).reshape(1, 1, T, 1, 1).expand(1, 1, T, H, W)
    y = torch.linspace(-1.0, 1.0, H, device=device).reshape(1, 1, 1, H, 1).expand(1, 1, T, H, W)
    x = torch.linspace(-1.0, 1.0, W, device=device).reshape(1, 1, 1, 1, W).expand(1, 1, T, H, W)
    return torch.cat([x, y, t, x * t, y * t], dim=1)


def conv_s(cin, cout, stride=1):  # spatial 3x3
    return nn.Conv3d(cin, cout, (1, 3, 3), stride=(1, stride, stride), padding=(0, 1, 1))


class TemporalConv(nn.Conv3d):
    """3-tap temporal convolution run as a 2-D convolution over [B, C, T, H*W]: the same parameters and the same
    numbers as nn.Conv3d(k=(3,1,1)), but torch 1.13 on CPU sends that Conv3d to its slow im2col path
    (generic BLAS; 10-15x slower forward + backward than oneDNN's 2-D kernel at these sizes)."""

    def forward(self, x):
        B, C, T, H, W = x.shape
        y = F.conv2d(x.reshape(B, C, T, H * W), self.weight[..., 0], self.bias, padding=(1, 0))
        return y.reshape(B, -1, T, H, W)


def conv_t(cin, cout):  # temporal 3-tap
    return TemporalConv(cin, cout, (3, 1, 1), padding=(1, 0, 0))


class ResBlock(nn.Module):
    """(2+1)D residual block with FiLM conditioning."""

    def __init__(self, cin, cout, emb_dim, groups, coord=False, dir_dim=0, tmap_ch=0):
        super().__init__()
        # tmap_ch: the caption's token map (cfg token_map) enters after the FiLM through a 1x1x1 conv (random init,
        # so the zero-initialised token maps get a gradient at once; zero bias, so step 0 is unchanged)
        self.tmap_proj = nn.Conv3d(tmap_ch, cout, 1) if tmap_ch else None
        if self.tmap_proj is not None:
            nn.init.zeros_(self.tmap_proj.bias)
        self.coord_dir = nn.Linear(dir_dim, cout * N_COORD) if (coord and dir_dim) else None
        if self.coord_dir is not None:
            nn.init.zeros_(self.coord_dir.weight)
            nn.init.zeros_(self.coord_dir.bias)
        # coord (cfg coord): a caption-dependent linear function of the cell's coordinates, added after the FiLM:
        # shift[c, t, y, x] = sum_k A[c, k](emb) * coord_k(t, y, x). Zero at init.
        self.coord = nn.Linear(emb_dim, cout * N_COORD) if coord else None
        if coord:
            nn.init.zeros_(self.coord.weight)
            nn.init.zeros_(self.coord.bias)
        self.n1 = nn.GroupNorm(min(groups, cin), cin)
        self.s1 = conv_s(cin, cout)
        self.t1 = conv_t(cout, cout)
        self.film = nn.Linear(emb_dim, 2 * cout)
        self.n2 = nn.GroupNorm(min(groups, cout), cout)
        self.s2 = conv_s(cout, cout)
        self.t2 = conv_t(cout, cout)
        nn.init.zeros_(self.t2.weight)
        nn.init.zeros_(self.t2.bias)
        self.skip = nn.Conv3d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, emb, dvec=None, tm=None):
        h = self.t1(self.s1(F.silu(self.n1(x))))
        scale, shift = self.film(emb)[:, :, None, None, None].chunk(2, dim=1)
        h = self.n2(h) * (1 + scale) + shift
        if self.tmap_proj is not None and tm is not None:
            h = h + self.tmap_proj(tm)
        if self.coord is not None:
            B, C, T, H, W = h.shape
            A = self.coord(emb)
            if self.coord_dir is not None:
                A = A + self.coord_dir(dvec)
            A = A.reshape(B * C, N_COORD, 1)
            cp = coord_planes(T, H, W, A.device).reshape(1, N_COORD, T * H * W).expand(B * C, N_COORD, T * H * W)
            h = h + (A * cp).sum(1).reshape(B, C, T, H, W)
        h = self.t2(self.s2(F.silu(h)))
        return self.skip(x) + h


class AttnBlock(nn.Module):
    """Full spatio-temporal self-attention over the (small) bottleneck grid."""

    def __init__(self, ch, heads=4, groups=8):
        super().__init__()
        self.norm = nn.GroupNorm(min(groups, ch), ch)
        self.attn = SelfAttention(ch, heads)

    def forward(self, x):
        B, C, T, H, W = x.shape
        h = self.norm(x).reshape(B, C, T * H * W).transpose(1, 2)
        h = self.attn(h).transpose(1, 2).reshape(B, C, T, H, W)
        return x + h


class Down(nn.Module):
    def __init__(self, cin, cout, tdown):
        super().__init__()
        st = 2 if tdown else 1
        self.conv = nn.Conv3d(cin, cout, (3 if tdown else 1, 3, 3), stride=(st, 2, 2),
                              padding=(1 if tdown else 0, 1, 1))

    def forward(self, x):
        return self.conv(x)


class Up(nn.Module):
    def __init__(self, cin, cout, tup):
        super().__init__()
        self.scale = (2.0 if tup else 1.0, 2.0, 2.0)
        self.conv = conv_s(cin, cout)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=self.scale, mode="nearest"))


def space_to_depth(x, p, pt):  # [B, C, T, H, W] -> [B, C*pt*p*p, T/pt, H/p, W/p]
    B, C, T, H, W = x.shape
    x = x.reshape(B, C, T // pt, pt, H // p, p, W // p, p).permute(0, 1, 3, 5, 7, 2, 4, 6)
    return x.reshape(B, C * pt * p * p, T // pt, H // p, W // p)


def depth_to_space(x, p, pt):  # inverse of space_to_depth
    B, Cpp, t, h, w = x.shape
    C = Cpp // (pt * p * p)
    x = x.reshape(B, C, pt, p, p, t, h, w).permute(0, 1, 5, 2, 6, 3, 7, 4)
    return x.reshape(B, C, t * pt, h * p, w * p)


class VideoUNet(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        p, ch, E, g = cfg["patch"], cfg["channels"], cfg["emb_dim"], cfg["groups"]
        self.p = p
        # film_split: the block FiLM sees [silu(time); silu(text)] (2E) instead of silu(time + text) (E), so the
        # text cannot be drowned by the timestep embedding.
        self.film_split = cfg.get("film_split", False)
        Ef = 2 * E if self.film_split else E
        self.pt = pt = cfg.get("tpatch", 1)
        first = torch.zeros(1, 1, cfg["frames"], 1, 1)
        first[:, :, 0] = 1.0
        self.register_buffer("first", first, persistent=False)  # marks the conditioning frame
        self.t_mlp = nn.Sequential(nn.Linear(64, E), nn.SiLU(), nn.Linear(E, E))
        self.txt_mlp = nn.Sequential(nn.Linear(cfg["text_dim"], E), nn.SiLU(), nn.Linear(E, E))
        self.stem = conv_s(7 * pt * p * p, ch[0])
        self.coord = bool(cfg.get("coord"))
        self.text_dim, self.dir_dim = cfg["text_dim"], cfg.get("text_dir", 0)
        self.paste_cond = bool(cfg.get("paste_cond"))
        # coordinate planes into the stem: a separate zero-initialised conv, so 0.3.0's stem loads unchanged
        self.stem_coord = conv_s(N_COORD * pt * p * p, ch[0]) if self.coord else None
        if self.coord:
            nn.init.zeros_(self.stem_coord.weight)
            nn.init.zeros_(self.stem_coord.bias)
        self.enc = nn.ModuleList()
        self.downs = nn.ModuleList()
        skips = []
        self.tmap_ch = cfg.get("token_map", 0)
        self.tmap_dim = token_map_dim(cfg)
        for i, c in enumerate(ch):
            blocks = nn.ModuleList()
            cin = c
            for _ in range(cfg["blocks"][i]):
                blocks.append(ResBlock(cin, c, Ef, g, self.coord, self.dir_dim,
                                       self.tmap_ch if i == len(ch) - 1 else 0))
            self.enc.append(blocks)
            skips.append(c)
            if i < len(ch) - 1:
                self.downs.append(Down(c, ch[i + 1], cfg["tdown"][i]))
        self.mid_attn = AttnBlock(ch[-1], 4, g) if cfg["attn_bottleneck"] else nn.Identity()
        self.mid = ResBlock(ch[-1], ch[-1], Ef, g, self.coord, self.dir_dim, self.tmap_ch)
        self.ups = nn.ModuleList()
        self.dec = nn.ModuleList()
        for i in reversed(range(len(ch) - 1)):
            self.ups.append(Up(ch[i + 1], ch[i], cfg["tdown"][i]))
            blocks = nn.ModuleList()
            for j in range(cfg["blocks"][i]):
                blocks.append(ResBlock(2 * ch[i] if j == 0 else ch[i], ch[i], Ef, g, self.coord, self.dir_dim))
            self.dec.append(blocks)
        self.out_norm = nn.GroupNorm(min(g, ch[0]), ch[0])
        self.out = conv_s(ch[0], 3 * pt * p * p)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)
        self.pred = cfg.get("pred", "v")
        if self.pred in ("x0", "edm"):  # abar(t) table, to turn the x0 estimate into v inside the graph
            self.register_buffer("abar", torch.tensor(alphas_cumprod(1000), dtype=torch.float32), persistent=False)
        # Learned absolute position (time, row, column) of every cell of the stem grid: a conv net
        # otherwise only infers position from the zero padding, and the prompt asks for places and paths.
        # Full-resolution refinement head (pred "x0" with cfg["refine"] channels): sees the UNet's x0 estimate,
        # x_t itself and the noise level, and adds a correction (zero at init). The UNet's 4x4x2 stem cannot
        # pass a clip through at pixel precision quickly; this per-pixel path can trust x_t where the noise
        # is low (sharp edges, exact colours) and only costs ~15 % more compute.
        self.refine = None
        if cfg.get("refine"):
            rc = cfg["refine"]
            # refine_cond: the head also sees the image-to-video frame (x mask, over time) and the mask plane, so
            # frame 0 can be copied at full resolution instead of through the 4x4 stem (0.2.0 trial: 20 dB)
            self.refine_cond = bool(cfg.get("refine_cond"))
            self.refine = nn.Sequential(conv_s(12 if self.refine_cond else 8, rc), nn.SiLU(), conv_t(rc, rc), nn.SiLU(), conv_s(rc, rc), nn.SiLU(),
                                        conv_s(rc, 3))
            nn.init.zeros_(self.refine[-1].weight)
            nn.init.zeros_(self.refine[-1].bias)
        self.pos = None
        gt, gh = cfg["frames"] // pt, cfg["size"] // p
        self.pos_shape = (ch[0], gt, gh, gh)
        if cfg.get("pos_emb"):
            self.pos = nn.Parameter(torch.zeros(1, ch[0], gt, gh, gh))
            nn.init.normal_(self.pos, std=0.02)
        self.map_ch = cfg.get("word_map", 0)
        self.map_dim = word_map_dim(cfg)
        # word_map: the caption's mean word map, gated by the noise level, into the stem features (random init, so the
        # zero-initialised word maps get a gradient at once)
        map_out = 3 * pt * p * p if cfg.get("word_map_at") == "x0" else ch[0]
        self.wmap_proj = nn.Conv3d(self.map_ch, map_out, 1) if self.map_ch else None
        if self.wmap_proj is not None:
            nn.init.zeros_(self.wmap_proj.bias)
        # layout (cfg layout): the caption's draft clip (LayoutPrior) enters the stem and the refinement head through
        # zero-initialised convs, and is blended into the x0 estimate with weight
        # sigmoid(g0 + g1 logSNR(t) + g2 cond_mask + g3 alpha): ~1 at pure noise (where the best estimate is what the
        # caption alone implies), ~0 at low noise (x_t knows better), lower for image-to-video (the given frame knows)
        self.layout = LayoutPrior(cfg) if cfg.get("layout") else None
        if self.layout is not None:
            self.stem_draft = conv_s(4 * pt * p * p, ch[0])
            nn.init.zeros_(self.stem_draft.weight)
            nn.init.zeros_(self.stem_draft.bias)
            self.refine_draft = conv_s(4, cfg["refine"])
            nn.init.zeros_(self.refine_draft.weight)
            nn.init.zeros_(self.refine_draft.bias)
            self.gate = nn.Parameter(torch.tensor([-1.0, -1.0, -4.0, 0.0]))
        # dir_pos (needs text_dir): position embedding that depends on the caption's direction words, zero at init
        self.dir_pos = nn.Linear(self.dir_dim, ch[0] * gt * gh * gh) if cfg.get("dir_pos") else None
        if self.dir_pos is not None:
            nn.init.zeros_(self.dir_pos.weight)
            nn.init.zeros_(self.dir_pos.bias)

    def abar_of(self, t):
        return self.abar[t.long().clamp(0, 999)].reshape(-1, 1, 1, 1, 1)

    def draft_of(self, text_emb):
        """The layout stage's draft clip and alpha for these captions (cfg layout)."""
        return self.layout.draft(self.layout(text_emb[:, : self.text_dim]))

    def x0(self, x_t, t, text_emb, cond_frame, cond_mask, draft=None):
        """The clean-clip estimate (pred "x0" or "edm"). draft: (clip, alpha) to use instead of the layout stage's own
        (training feeds the ground-truth layout's draft some of the time)."""
        if self.layout is not None and draft is None:
            draft = self.draft_of(text_emb)
        out = self.raw(x_t, t, text_emb, cond_frame, cond_mask, draft)
        if self.pred == "x0":
            x0 = self.refined(out, x_t, t, cond_frame, cond_mask, draft)
            if draft is not None:
                a = self.abar_of(t)
                lsnr = (a.clamp(min=1e-8) / (1.0 - a).clamp(min=1e-8)).log().clamp(-10.0, 10.0)
                g = self.gate
                lam = torch.sigmoid(g[0] + g[1] * lsnr + g[2] * cond_mask.reshape(-1, 1, 1, 1, 1) + g[3] * draft[1])
                x0 = x0 + lam * (draft[0] - x0)
            if self.wmap_proj is not None and self.cfg.get("word_map_at") == "x0":
                wm = text_emb[:, self.text_dim + self.dir_dim:].reshape(-1, self.map_ch, *self.pos_shape[1:])
                prior = depth_to_space(self.wmap_proj(wm * self.cfg.get("word_map_scale", 1.0)), self.p, self.pt)
                x0 = x0 + prior * (1.0 - self.abar_of(t)) ** 2
            if self.paste_cond:  # image-to-video: frame 0 of the clean estimate IS the given frame
                B = x0.shape[0]
                k = cond_mask.reshape(B, 1, 1, 1, 1) * self.first
                x0 = x0 * (1.0 - k) + cond_frame[:, :, None] * k
            return x0
        c_skip, c_out, _ = edm_precond(self.abar_of(t))
        return c_skip * x_t + c_out * out

    def refined(self, x0, x_t, t, cond_frame=None, cond_mask=None, draft=None):
        """x0 plus the refinement head's correction (identity without a head)."""
        if self.refine is None:
            return x0
        a = self.abar_of(t)
        B, _, T, H, W = x_t.shape
        planes = [x0, x_t, torch.cat([a.sqrt(), (1.0 - a).sqrt()], dim=1).expand(B, 2, T, H, W)]
        if self.refine_cond:
            m = cond_mask.reshape(B, 1, 1, 1, 1)
            planes += [(cond_frame[:, :, None] * m).expand(B, 3, T, H, W), (m * self.first).expand(B, 1, T, H, W)]
        if draft is None:
            return x0 + self.refine(torch.cat(planes, dim=1))
        h = self.refine[0](torch.cat(planes, dim=1)) + self.refine_draft(torch.cat(draft, dim=1))
        for layer in self.refine[1:]:
            h = layer(h)
        return x0 + h

    def forward(self, x_t, t, text_emb, cond_frame, cond_mask):
        """v prediction (what the sampler and the exported graph use), whatever the network predicts."""
        if self.pred == "v":
            return self.raw(x_t, t, text_emb, cond_frame, cond_mask)
        a = self.abar_of(t)
        x0 = self.x0(x_t, t, text_emb, cond_frame, cond_mask)
        return (a.sqrt() * x_t - x0) / (1.0 - a).clamp(min=1e-8).sqrt()

    def raw(self, x_t, t, text_emb, cond_frame, cond_mask, draft=None):
        """The network's own output: v, x0 (pred "x0"), or the preconditioned F (pred "edm")."""
        B, _, T, H, W = x_t.shape
        if self.pred == "edm":
            x_t = x_t * edm_precond(self.abar_of(t))[2]
        m = cond_mask.reshape(B, 1, 1, 1, 1)
        cf = (cond_frame[:, :, None] * m).expand(B, 3, T, H, W)
        mplane = (m * self.first).expand(B, 1, T, H, W)
        h = torch.cat([x_t, cf, mplane], dim=1)
        h = self.stem(space_to_depth(h, self.p, self.pt))
        if self.stem_coord is not None:
            h = h + self.stem_coord(space_to_depth(coord_planes(T, H, W, h.device), self.p, self.pt))
        if draft is not None:
            h = h + self.stem_draft(space_to_depth(torch.cat(draft, dim=1), self.p, self.pt))
        if self.pos is not None:
            h = h + self.pos
        tm = None
        if self.tmap_dim:  # token maps over the bottom grid, gated by the noise level
            tb = text_emb.shape[1] - self.tmap_dim
            gt, gh = self.pos_shape[1] // 2 if self.cfg["tdown"][-1] else self.pos_shape[1], self.pos_shape[2] // 2
            tm = text_emb[:, tb:].reshape(-1, self.tmap_ch, gt, gh, gh) * (1.0 - self.abar_of(t)).sqrt()
            text_emb = text_emb[:, :tb]
        wmh = None
        if self.wmap_proj is not None:  # the maps matter where the caption alone decides place and path
            wm = text_emb[:, self.text_dim + self.dir_dim:].reshape(-1, self.map_ch, *self.pos_shape[1:])
            wmh = self.wmap_proj(wm * self.cfg.get("word_map_scale", 1.0)) * (1.0 - self.abar_of(t)).sqrt()
            if self.cfg.get("word_map_at", "stem") == "stem":
                h, wmh = h + wmh, None
            elif self.cfg.get("word_map_at") == "x0":
                wmh = None  # added to the x0 estimate in x0()
            text_emb = text_emb[:, : self.text_dim + self.dir_dim]
        dvec = None
        if self.dir_dim:
            text_emb, dvec = text_emb[:, : self.text_dim], text_emb[:, self.text_dim:]
        if self.dir_pos is not None:
            h = h + self.dir_pos(dvec).reshape(-1, *self.pos_shape)
        if self.film_split:
            emb = torch.cat([F.silu(self.t_mlp(timestep_embedding(t, 64))), F.silu(self.txt_mlp(text_emb))], dim=1)
        else:
            emb = F.silu(self.t_mlp(timestep_embedding(t, 64)) + self.txt_mlp(text_emb))
        skips = []
        for i, blocks in enumerate(self.enc):
            for blk in blocks:
                h = blk(h, emb, dvec, tm)
            if i < len(self.enc) - 1:
                skips.append(h)
                h = self.downs[i](h)
        h = self.mid(self.mid_attn(h), emb, dvec, tm)
        for up, blocks in zip(self.ups, self.dec):
            h = up(h)
            h = torch.cat([h, skips.pop()], dim=1)
            for blk in blocks:
                h = blk(h, emb, dvec)
        if wmh is not None:  # word_map_at "out"
            h = h + wmh
        h = self.out(F.silu(self.out_norm(h)))
        return depth_to_space(h, self.p, self.pt)


def pixel_grid(H, W, device=None):
    """[1, 1, 1, H, W] screen x and y of the pixel centres in [-1, 1] (dataset.py's convention: x right, y down)."""
    x = (torch.arange(W, dtype=torch.float32, device=device) + 0.5) / W * 2.0 - 1.0
    y = (torch.arange(H, dtype=torch.float32, device=device) + 0.5) / H * 2.0 - 1.0
    return x.reshape(1, 1, 1, 1, W).expand(1, 1, 1, H, W), y.reshape(1, 1, 1, H, 1).expand(1, 1, 1, H, W)


class LayoutPrior(nn.Module):
    """Caption -> layout (path, colours, shape code) -> draft clip: the model's own plan of where the object is.

    The text side learns direction from the path loss (a caption's screen motion, whatever words carry it: "pans
    left" and "moves to the right" both give a rightward path), the silhouette MLP learns the shapes from the
    renderer's masks. Everything is a function of text_emb, so the exported graph computes it from the caption."""

    N_OUT_FRAME = 3  # centre x, centre y, log radius

    def __init__(self, cfg):
        super().__init__()
        lc = cfg["layout"]
        self.frames, self.size, self.code = cfg["frames"], cfg["size"], lc["code"]
        n = self.frames * self.N_OUT_FRAME + 3 + 3 + lc["code"] + 1
        self.mlp = nn.Sequential(nn.Linear(cfg["text_dim"], lc["hidden"]), nn.SiLU(),
                                 nn.Linear(lc["hidden"], lc["hidden"]), nn.SiLU(), nn.Linear(lc["hidden"], n))
        nn.init.normal_(self.mlp[-1].weight, std=1e-3)
        nn.init.zeros_(self.mlp[-1].bias)
        # silhouette: alpha(u, v, code) per pixel, u, v the pixel's offset from the centre in radii
        # (channels-last Linear layers: torch 1.13's CPU 1x1x1 Conv3d takes a slow path)
        self.sil_uv = nn.Linear(2, lc["sil"])
        self.sil_code = nn.Linear(lc["code"], lc["sil"])
        self.sil = nn.Sequential(nn.SiLU(), nn.Linear(lc["sil"], lc["sil"]), nn.SiLU(), nn.Linear(lc["sil"], 1))
        # sprite (cfg layout.sprite = n): plus an n x n grid of Gaussian bumps over [-1.65, 1.65]^2 radii whose heights
        # are a linear function of the shape code, i.e. a learned low-resolution picture of each shape (corners and
        # arms the small MLP above learns slowly). Zero at init.
        self.sprite_n = lc.get("sprite", 0)
        if self.sprite_n:
            self.sprite = nn.Linear(lc["code"], self.sprite_n * self.sprite_n)
            nn.init.zeros_(self.sprite.weight)
            nn.init.zeros_(self.sprite.bias)

    def forward(self, text_emb):
        """dict of path [B, F, 3] (cx, cy, log r), obj [B, 3], bg [B, 3] (model space), code [B, C], conf [B] (logit)."""
        o = self.mlp(text_emb)
        F_ = self.frames * self.N_OUT_FRAME
        path = o[:, :F_].reshape(-1, self.frames, self.N_OUT_FRAME)
        path = torch.cat([path[..., :2], path[..., 2:] - 1.4], dim=-1)  # log r starts near the dataset's mean (0.25)
        c = F_
        return dict(path=path, obj=o[:, c:c + 3], bg=o[:, c + 3:c + 6], code=o[:, c + 6:c + 6 + self.code],
                    conf=o[:, c + 6 + self.code])

    def alpha_logit(self, path, code):
        """Silhouette logits [B, 1, F, H, W] of the shape code placed on the path."""
        gx, gy = pixel_grid(self.size, self.size, path.device)  # [1, 1, 1, H, W]
        cx, cy = path[..., 0][:, None, :, None, None], path[..., 1][:, None, :, None, None]
        r = path[..., 2].exp()[:, None, :, None, None]
        uv = torch.cat([(gx - cx) / r, (gy - cy) / r], dim=1).permute(0, 2, 3, 4, 1)  # [B, F, H, W, 2]
        h = self.sil_uv(uv) + self.sil_code(code)[:, None, None, None, :]
        logit = self.sil(h).permute(0, 4, 1, 2, 3)  # [B, 1, F, H, W]
        if self.sprite_n:
            n, B = self.sprite_n, uv.shape[0]
            step = 3.3 / (n - 1)
            centres = torch.arange(n, dtype=torch.float32, device=uv.device) * step - 1.65
            k = torch.exp(-0.5 * ((uv[..., None] - centres) / step) ** 2)  # [B, F, H, W, 2, n]
            ku, kv = k[..., 0, :].reshape(B, -1, n), k[..., 1, :].reshape(B, -1, n)  # [B, P, n]
            S = self.sprite(code).reshape(B, n, n)  # [B, n (v), n (u)]
            val = (torch.matmul(kv, S) * ku).sum(-1)  # sum_ij kv_i S_ij ku_j
            logit = logit + val.reshape(B, 1, *uv.shape[1:4])
        return logit

    def draft(self, lay):
        """Draft clip [B, 3, F, H, W] and its alpha [B, 1, F, H, W]: background + alpha (object - background)."""
        a = torch.sigmoid(self.alpha_logit(lay["path"], lay["code"])) * torch.sigmoid(lay["conf"]).reshape(-1, 1, 1, 1, 1)
        bg, obj = lay["bg"][:, :, None, None, None], lay["obj"][:, :, None, None, None]
        return bg + a * (obj - bg), a


class T2V(nn.Module):
    def __init__(self, cfg, vocab_size, pad_id=0):
        super().__init__()
        self.cfg = cfg
        self.text = TextEncoder(vocab_size, cfg["text_dim"], cfg["text_layers"], cfg["text_heads"], cfg["max_len"],
                                pad_id, bag=cfg.get("text_bag", False), dir_dim=cfg.get("text_dir", 0),
                                map_dim=word_map_dim(cfg), tmap_dim=token_map_dim(cfg))
        self.unet = VideoUNet(cfg)
        # training only (not exported): the layout's shape code must name the caption's shape
        self.aux_shape = nn.Linear(cfg["layout"]["code"], 5) if cfg.get("layout") else None


# ----------------------------------------------------------------------------
# Diffusion schedule (shared by train.py, reference_sampler.py and the TS runner)
# ----------------------------------------------------------------------------
def alphas_cumprod(T=1000, s=0.008):
    """Cosine schedule, zero terminal SNR: abar[t] = g((t+1)/T) / g(0), g(u) = cos((u+s)/(1+s) * pi/2)^2,
    t = 0..T-1, so abar[T-1] == 0 (pure noise). Computed in float64."""
    import numpy as np
    u = (np.arange(T, dtype=np.float64) + 1) / T
    g = np.cos((u + s) / (1 + s) * np.pi / 2) ** 2
    g0 = math.cos(s / (1 + s) * math.pi / 2) ** 2
    return np.clip(g / g0, 0.0, 1.0)


SIGMA_DATA = 0.5


def edm_precond(a, sd=SIGMA_DATA):
    """EDM preconditioning (Karras et al. 2022) written for the VP schedule, abar = a:
    x0 = c_skip * x_t + c_out * F(c_in * x_t), with
    c_skip = sd^2 sqrt(a) / (1 - a + a sd^2), c_out = sd sqrt(1 - a) / sqrt(1 - a + a sd^2),
    c_in = 1 / sqrt(1 - a + a sd^2). Finite at a = 0 (zero terminal SNR: x0 = sd * F) and at a = 1
    (x0 = x_t). The F target (x0 - c_skip x_t) / c_out has unit variance at every noise level when
    the data has standard deviation sd, so plain MSE on F trains every level equally hard; v-prediction
    is the special case sd = 1."""
    den = (1.0 - a) + a * sd * sd
    return sd * sd * a.sqrt() / den, sd * (1.0 - a).sqrt() / den.sqrt(), 1.0 / den.sqrt()


def count_params(m):
    return sum(p.numel() for p in m.parameters())
