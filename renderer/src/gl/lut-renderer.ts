/**
 * WebGL2 renderer for the graded preview: a source picture (video frame, image, canvas)
 * through a compiled grade LUT (app/color/compile.ts) onto a canvas, at the source's own
 * resolution (CSS scales it for display), so a read-back equals the graded source frame.
 */
import type { Lut3D } from '@app/model/color';
import { FRAGMENT_SHADER, VERTEX_SHADER } from './lut-shader';

export type FrameSource = TexImageSource;

export interface DrawOptions {
  /** Pixels left of this fraction of the width show the ungraded source (0 = all graded). */
  split?: number;
}

function compile(gl: WebGL2RenderingContext, type: number, src: string): WebGLShader {
  const sh = gl.createShader(type)!;
  gl.shaderSource(sh, src);
  gl.compileShader(sh);
  if (!gl.getShaderParameter(sh, gl.COMPILE_STATUS)) throw new Error(`Shader failed to compile: ${gl.getShaderInfoLog(sh) ?? ''}`);
  return sh;
}

export class LutRenderer {
  readonly gl: WebGL2RenderingContext;
  private readonly program: WebGLProgram;
  private readonly srcTex: WebGLTexture;
  private readonly lutTex: WebGLTexture;
  private readonly vao: WebGLVertexArrayObject;
  private readonly u: Record<'src' | 'lut' | 'size' | 'hasLut' | 'view' | 'flip' | 'split', WebGLUniformLocation | null>;
  private lut: Lut3D | null = null;
  private srcW = 0;
  private srcH = 0;
  private scratch: { fb: WebGLFramebuffer; tex: WebGLTexture; w: number; h: number } | null = null;

  /** Throws when WebGL2 is unavailable (callers fall back to the plain picture). */
  constructor(readonly canvas: HTMLCanvasElement | OffscreenCanvas) {
    const gl = canvas.getContext('webgl2', { antialias: false, premultipliedAlpha: false, alpha: false, depth: false, stencil: false, preserveDrawingBuffer: false }) as WebGL2RenderingContext | null;
    if (!gl) throw new Error('WebGL2 is not available.');
    this.gl = gl;
    const program = gl.createProgram()!;
    gl.attachShader(program, compile(gl, gl.VERTEX_SHADER, VERTEX_SHADER));
    gl.attachShader(program, compile(gl, gl.FRAGMENT_SHADER, FRAGMENT_SHADER));
    gl.linkProgram(program);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(`Shader failed to link: ${gl.getProgramInfoLog(program) ?? ''}`);
    this.program = program;
    this.vao = gl.createVertexArray()!;
    const loc = (n: string) => gl.getUniformLocation(program, n);
    this.u = { src: loc('u_src'), lut: loc('u_lut'), size: loc('u_size'), hasLut: loc('u_hasLut'), view: loc('u_view'), flip: loc('u_flip'), split: loc('u_split') };

    this.srcTex = gl.createTexture()!;
    gl.bindTexture(gl.TEXTURE_2D, this.srcTex);
    // Drawn 1:1, so NEAREST samples each texel exactly (and decimates for small read-backs).
    for (const [k, v] of [[gl.TEXTURE_MIN_FILTER, gl.NEAREST], [gl.TEXTURE_MAG_FILTER, gl.NEAREST], [gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE], [gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE]] as const)
      gl.texParameteri(gl.TEXTURE_2D, k, v);
    this.lutTex = gl.createTexture()!;
    gl.bindTexture(gl.TEXTURE_3D, this.lutTex);
    for (const [k, v] of [[gl.TEXTURE_MIN_FILTER, gl.NEAREST], [gl.TEXTURE_MAG_FILTER, gl.NEAREST], [gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE], [gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE], [gl.TEXTURE_WRAP_R, gl.CLAMP_TO_EDGE]] as const)
      gl.texParameteri(gl.TEXTURE_3D, k, v);
  }

  /** The grade LUT (domain [0,1], .cube order: red fastest), or null for the ungraded picture. */
  setLut(lut: Lut3D | null): void {
    if (lut === this.lut) return;
    this.lut = lut;
    if (!lut) return;
    const gl = this.gl;
    gl.bindTexture(gl.TEXTURE_3D, this.lutTex);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    // .cube order (r fastest, then g, then b) is exactly width, height, depth.
    gl.texImage3D(gl.TEXTURE_3D, 0, gl.RGB32F, lut.size, lut.size, lut.size, 0, gl.RGB, gl.FLOAT, lut.data);
  }

  get hasLut(): boolean {
    return this.lut !== null;
  }

  /** Upload a new source picture of the given pixel size. */
  setSource(source: FrameSource, width: number, height: number): void {
    const gl = this.gl;
    gl.bindTexture(gl.TEXTURE_2D, this.srcTex);
    gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, false);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, gl.RGBA, gl.UNSIGNED_BYTE, source);
    this.srcW = width;
    this.srcH = height;
  }

  get sourceSize(): { width: number; height: number } {
    return { width: this.srcW, height: this.srcH };
  }

  private pass(w: number, h: number, flip: boolean, splitPx: number): void {
    const gl = this.gl;
    gl.viewport(0, 0, w, h);
    gl.useProgram(this.program);
    gl.bindVertexArray(this.vao);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.srcTex);
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_3D, this.lutTex);
    gl.uniform1i(this.u.src, 0);
    gl.uniform1i(this.u.lut, 1);
    gl.uniform1i(this.u.size, this.lut?.size ?? 2);
    gl.uniform1i(this.u.hasLut, this.lut ? 1 : 0);
    gl.uniform2f(this.u.view, w, h);
    gl.uniform1i(this.u.flip, flip ? 1 : 0);
    gl.uniform1f(this.u.split, splitPx);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
  }

  /** Draw the current source onto the canvas (resized to the source). */
  draw(opts: DrawOptions = {}): void {
    if (!this.srcW || !this.srcH) return;
    if (this.canvas.width !== this.srcW) this.canvas.width = this.srcW;
    if (this.canvas.height !== this.srcH) this.canvas.height = this.srcH;
    this.gl.bindFramebuffer(this.gl.FRAMEBUFFER, null);
    this.pass(this.srcW, this.srcH, true, (opts.split ?? 0) * this.srcW);
  }

  /**
   * The graded source (no split), `width`×`height` (default: source size; smaller sizes
   * decimate), as RGBA8 with the top row first.
   */
  readPixels(width = this.srcW, height = this.srcH): Uint8Array {
    const gl = this.gl;
    if (!this.scratch || this.scratch.w !== width || this.scratch.h !== height) {
      if (this.scratch) {
        gl.deleteFramebuffer(this.scratch.fb);
        gl.deleteTexture(this.scratch.tex);
      }
      const tex = gl.createTexture()!;
      gl.bindTexture(gl.TEXTURE_2D, tex);
      gl.texStorage2D(gl.TEXTURE_2D, 1, gl.RGBA8, width, height);
      const fb = gl.createFramebuffer()!;
      gl.bindFramebuffer(gl.FRAMEBUFFER, fb);
      gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, tex, 0);
      this.scratch = { fb, tex, w: width, h: height };
    }
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.scratch.fb);
    this.pass(width, height, false, 0);
    const px = new Uint8Array(width * height * 4);
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, px);
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    return px;
  }

  dispose(): void {
    const gl = this.gl;
    gl.deleteTexture(this.srcTex);
    gl.deleteTexture(this.lutTex);
    gl.deleteProgram(this.program);
    gl.deleteVertexArray(this.vao);
    if (this.scratch) {
      gl.deleteFramebuffer(this.scratch.fb);
      gl.deleteTexture(this.scratch.tex);
    }
  }
}
