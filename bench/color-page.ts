/**
 * Browser side of bench/color.bench.ts (bundled by esbuild at run time): the same LUT on the
 * same 1920×1080 picture, through the WebGL preview path (renderer/src/gl) and through a
 * CPU canvas path (getImageData → app/color/interp applyLutRgba8 → putImageData).
 */
import { compileGrade } from '../app/color/compile.js';
import { parseCube, writeCube } from '../app/color/cube.js';
import { applyLutRgba8 } from '../app/color/interp.js';
import type { ColorGrade, Lut3D } from '../app/model/color.js';
import { LutRenderer } from '../renderer/src/gl/lut-renderer.js';

interface BenchApi {
  setup(grade: ColorGrade, width: number, height: number): { renderer: string };
  gl(frames: number): number;
  cpu(frames: number): number;
  /** Milliseconds per frame of the WebGL path's parts: texture upload alone, shading without and with the LUT. */
  glParts(frames: number): { uploadMs: number; passMs: number; lutPassMs: number };
  /** Largest per-channel difference between the two paths' output. */
  compare(): { worst: number; differing: number };
}

declare global {
  interface Window {
    colorBench: BenchApi;
  }
}

let lut: Lut3D;
let source: HTMLCanvasElement;
let glCanvas: HTMLCanvasElement;
let renderer: LutRenderer;
let cpuCanvas: HTMLCanvasElement;
let cpuCtx: CanvasRenderingContext2D;
let srcCtx: CanvasRenderingContext2D;

/** A 1080p picture with every hue and smooth ramps, drawn once. */
function makeSource(w: number, h: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  const ctx = c.getContext('2d', { willReadFrequently: true })!;
  const img = ctx.createImageData(w, h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      img.data[i] = (x * 255) / w;
      img.data[i + 1] = (y * 255) / h;
      img.data[i + 2] = 128 + 127 * Math.sin((x + y) / 60);
      img.data[i + 3] = 255;
    }
  ctx.putImageData(img, 0, 0);
  srcCtx = ctx;
  return c;
}

window.colorBench = {
  setup(grade, width, height) {
    // Through .cube text, exactly as the export hands it to ffmpeg.
    lut = parseCube(writeCube(compileGrade(grade, null)));
    source = makeSource(width, height);
    glCanvas = document.createElement('canvas');
    renderer = new LutRenderer(glCanvas);
    renderer.setLut(lut);
    cpuCanvas = document.createElement('canvas');
    cpuCanvas.width = width;
    cpuCanvas.height = height;
    cpuCtx = cpuCanvas.getContext('2d', { willReadFrequently: true })!;
    const dbg = renderer.gl.getExtension('WEBGL_debug_renderer_info');
    return { renderer: dbg ? String(renderer.gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL)) : 'unknown' };
  },
  gl(frames) {
    const t0 = performance.now();
    for (let i = 0; i < frames; i++) {
      renderer.setSource(source, source.width, source.height);
      renderer.draw();
      // Wait for the GPU (a 1-pixel read forces the frame to finish).
      renderer.gl.readPixels(0, 0, 1, 1, renderer.gl.RGBA, renderer.gl.UNSIGNED_BYTE, new Uint8Array(4));
    }
    return performance.now() - t0;
  },
  glParts(frames) {
    const gl = renderer.gl;
    const sync = () => gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    const time = (fn: () => void) => {
      const t0 = performance.now();
      for (let i = 0; i < frames; i++) {
        fn();
        sync();
      }
      return (performance.now() - t0) / frames;
    };
    renderer.setSource(source, source.width, source.height);
    const uploadMs = time(() => renderer.setSource(source, source.width, source.height));
    renderer.setLut(null);
    const passMs = time(() => renderer.draw());
    renderer.setLut(lut);
    const lutPassMs = time(() => renderer.draw());
    return { uploadMs, passMs, lutPassMs };
  },
  cpu(frames) {
    const t0 = performance.now();
    for (let i = 0; i < frames; i++) {
      const img = srcCtx.getImageData(0, 0, source.width, source.height);
      applyLutRgba8(lut, img.data, img.data, 4);
      cpuCtx.putImageData(img, 0, 0);
    }
    return performance.now() - t0;
  },
  compare() {
    renderer.setSource(source, source.width, source.height);
    const gpu = renderer.readPixels();
    const img = srcCtx.getImageData(0, 0, source.width, source.height);
    applyLutRgba8(lut, img.data, img.data, 4);
    let worst = 0;
    let differing = 0;
    for (let i = 0; i < gpu.length; i++) {
      if ((i & 3) === 3) continue;
      const d = Math.abs(gpu[i]! - img.data[i]!);
      if (d) differing++;
      if (d > worst) worst = d;
    }
    return { worst, differing };
  },
};
