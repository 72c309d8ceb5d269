/**
 * GLSL for the graded preview. The fragment shader samples the compiled grade LUT (a 3D
 * float texture read with texelFetch, no hardware filtering) with the same tetrahedral
 * interpolation as ffmpeg's lut3d and app/color/interp.ts: same cell, same branch order
 * (strict comparisons), same weights, then truncation to 8 bits like ffmpeg's
 * av_clip_uint8((int)(v * 255)). So the preview is the export, pixel for pixel, up to
 * float rounding and the browser's video decode.
 */

export const VERTEX_SHADER = `#version 300 es
// One triangle covering the viewport.
void main() {
  vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
  gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}`;

export const FRAGMENT_SHADER = `#version 300 es
precision highp float;
precision highp int;
precision highp sampler3D;

uniform sampler2D u_src;
uniform sampler3D u_lut;
uniform int u_size;
uniform bool u_hasLut;
/** Output size in pixels. */
uniform vec2 u_view;
/** True when drawing to the canvas (row 0 at the bottom), false for a read-back target (top first). */
uniform bool u_flip;
/** Pixels left of this x show the source ungraded (before/after split). */
uniform float u_split;

out vec4 outColor;

vec3 at(ivec3 i) { return texelFetch(u_lut, i, 0).rgb; }

vec3 tetrahedral(vec3 rgb) {
  float lutMax = float(u_size - 1);
  vec3 s = clamp(rgb * lutMax, 0.0, lutMax);
  ivec3 p = ivec3(s);
  ivec3 n = min(p + 1, ivec3(u_size - 1));
  vec3 d = s - vec3(p);
  // The branches only choose the two middle vertices and the weights; the four fetches
  // are unconditional (divergent fetches are slow, on SwiftShader especially).
  ivec3 a;
  ivec3 b;
  vec4 w;
  if (d.r > d.g) {
    if (d.g > d.b) {
      a = ivec3(n.r, p.g, p.b); b = ivec3(n.r, n.g, p.b); w = vec4(1.0 - d.r, d.r - d.g, d.g - d.b, d.b);
    } else if (d.r > d.b) {
      a = ivec3(n.r, p.g, p.b); b = ivec3(n.r, p.g, n.b); w = vec4(1.0 - d.r, d.r - d.b, d.b - d.g, d.g);
    } else {
      a = ivec3(p.r, p.g, n.b); b = ivec3(n.r, p.g, n.b); w = vec4(1.0 - d.b, d.b - d.r, d.r - d.g, d.g);
    }
  } else {
    if (d.b > d.g) {
      a = ivec3(p.r, p.g, n.b); b = ivec3(p.r, n.g, n.b); w = vec4(1.0 - d.b, d.b - d.g, d.g - d.r, d.r);
    } else if (d.b > d.r) {
      a = ivec3(p.r, n.g, p.b); b = ivec3(p.r, n.g, n.b); w = vec4(1.0 - d.g, d.g - d.b, d.b - d.r, d.r);
    } else {
      a = ivec3(p.r, n.g, p.b); b = ivec3(n.r, n.g, p.b); w = vec4(1.0 - d.g, d.g - d.r, d.r - d.b, d.b);
    }
  }
  return w.x * at(p) + w.y * at(a) + w.z * at(b) + w.w * at(n);
}

void main() {
  vec2 uv = vec2(gl_FragCoord.x, u_flip ? u_view.y - gl_FragCoord.y : gl_FragCoord.y) / u_view;
  vec3 c = texture(u_src, uv).rgb;
  if (u_hasLut && gl_FragCoord.x >= u_split) {
    // ffmpeg truncates to 8 bits; storing k/255 makes the RGBA8 target keep exactly k.
    c = floor(clamp(tetrahedral(c), 0.0, 1.0) * 255.0) / 255.0;
  }
  outColor = vec4(c, 1.0);
}`;
