/**
 * The graded preview: the picture under the playhead (the Viewer's own <video>, or the
 * still) drawn through the clip's compiled grade LUT by WebGL2 (renderer/src/gl), laid
 * over the plain picture. It draws at the source's resolution; CSS fits it to the stage.
 * Also: the before/after split, the scopes of the frame on screen, and a read-back hook
 * for tests (window.__shotlineViewer.readPixels()).
 */
import { useEffect, useRef, useState, type CSSProperties, type RefObject } from 'react';
import { histogram, waveform } from '@app/color/scopes';
import type { Asset, Clip } from '@app/model/types';
import { mediaUrl } from '../../client';
import { LutRenderer } from '../../gl/lut-renderer';
import { useGradeLut } from '../../gl/useGradeLut';
import { useColor } from '../../state/color';
import { GradedSplit } from './GradedSplit';
import '../../styles/color.css';

/** Scopes are computed from a small read-back, at most this often while playing. */
const SCOPE_INTERVAL_MS = 150;
const SCOPE_WIDTH = 256;

interface ViewerHook {
  /** The graded frame on screen at source resolution, RGBA8 rows top first (base64), or null before the first draw. */
  readPixels(): { width: number; height: number; data: string } | null;
  state(): { clipId: string; gradeKey: string; frameTime: number; drawn: number; webgl: boolean };
}

declare global {
  interface Window {
    __shotlineViewer?: ViewerHook;
  }
}

function toBase64(px: Uint8Array): string {
  let s = '';
  for (let i = 0; i < px.length; i += 0x8000) s += String.fromCharCode(...px.subarray(i, i + 0x8000));
  return btoa(s);
}

/** The box a `w`×`h` picture fills inside a stage of aspect `ar` (object-fit: contain). */
function containBox(w: number, h: number, ar: number): CSSProperties {
  if (!w || !h) return { inset: 0 };
  const sar = w / h;
  if (sar >= ar) {
    const hp = (ar / sar) * 100;
    return { left: 0, width: '100%', top: `${(100 - hp) / 2}%`, height: `${hp}%` };
  }
  const wp = (sar / ar) * 100;
  return { top: 0, height: '100%', left: `${(100 - wp) / 2}%`, width: `${wp}%` };
}

export function GradedPicture({ clip, asset, videoRef, ar }: { clip: Clip | null; asset: Asset | null; videoRef: RefObject<HTMLVideoElement | null>; ar: number }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const rendererRef = useRef<LutRenderer | null>(null);
  const [glError, setGlError] = useState<string | null>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const { lut, key, waiting, error } = useGradeLut(clip);
  const compare = useColor((s) => s.compare);
  const split = useColor((s) => s.split);
  const scopesOn = useColor((s) => s.scopesVisible);
  const info = useRef({ clipId: '', gradeKey: '', frameTime: -1, drawn: 0, hasFrame: false, lastScopes: 0 });
  const image = asset?.kind === 'image' ? asset : null;
  const active = !!clip && !!asset && (lut !== null || scopesOn);
  const drawRef = useRef<(upload: boolean) => void>(() => {});
  const imgRef = useRef<HTMLImageElement | null>(null);

  // One renderer per mounted canvas.
  useEffect(() => {
    try {
      rendererRef.current = new LutRenderer(canvasRef.current!);
    } catch (e) {
      setGlError(e instanceof Error ? e.message : String(e));
    }
    return () => {
      rendererRef.current?.dispose();
      rendererRef.current = null;
    };
  }, []);

  // The draw function sees the latest props through this ref.
  drawRef.current = (upload: boolean) => {
    const r = rendererRef.current;
    if (!r || !active) return;
    const v = videoRef.current;
    if (upload) {
      if (image) {
        const img = imgRef.current;
        if (!img?.complete || !img.naturalWidth) return;
        r.setSource(img, img.naturalWidth, img.naturalHeight);
        info.current.frameTime = 0;
      } else {
        if (!v || v.readyState < 2 || !v.videoWidth) return;
        r.setSource(v, v.videoWidth, v.videoHeight);
        info.current.frameTime = v.currentTime;
      }
      info.current.hasFrame = true;
      const { width, height } = r.sourceSize;
      if (width !== size.w || height !== size.h) setSize({ w: width, h: height });
    }
    if (!info.current.hasFrame) return;
    r.setLut(lut);
    r.draw({ split: compare && lut ? split : 0 });
    info.current.clipId = clip?.id ?? '';
    info.current.gradeKey = key;
    info.current.drawn++;
    const now = performance.now();
    if (scopesOn && now - info.current.lastScopes >= SCOPE_INTERVAL_MS) {
      info.current.lastScopes = now;
      const { width, height } = r.sourceSize;
      const sw = Math.min(SCOPE_WIDTH, width);
      const sh = Math.max(1, Math.round((height * sw) / width));
      const px = r.readPixels(sw, sh);
      useColor.getState().setScopes({ histogram: histogram(px), waveform: waveform(px, sw, sh) });
    }
  };

  // The still, loaded on its own so it can be uploaded.
  useEffect(() => {
    if (!image) return;
    info.current.hasFrame = false;
    const img = new Image();
    img.onload = () => drawRef.current(true);
    img.src = mediaUrl(image.path);
    imgRef.current = img;
    return () => {
      img.onload = null;
      imgRef.current = null;
    };
  }, [image]);

  // Video frames: on load and seek, and every presented frame while playing.
  useEffect(() => {
    const v = videoRef.current;
    if (!v || image || !active) return;
    // Another clip: never show the previous clip's frame through this clip's grade.
    info.current.hasFrame = false;
    const draw = () => drawRef.current(true);
    let handle = 0;
    let stopped = false;
    const onFrame = () => {
      if (stopped) return;
      draw();
      handle = v.requestVideoFrameCallback(onFrame);
    };
    const events = ['loadeddata', 'seeked', 'resize'] as const;
    for (const e of events) v.addEventListener(e, draw);
    if ('requestVideoFrameCallback' in v) handle = v.requestVideoFrameCallback(onFrame);
    draw();
    return () => {
      stopped = true;
      for (const e of events) v.removeEventListener(e, draw);
      if (handle) v.cancelVideoFrameCallback(handle);
    };
  }, [videoRef, image, active, clip?.id]);

  // A new grade, split or scopes request redraws the frame already uploaded.
  useEffect(() => {
    drawRef.current(!info.current.hasFrame);
  }, [lut, compare, split, scopesOn, active]);

  // Nothing measurable on screen (a gap, an audio clip): no stale scopes.
  useEffect(() => {
    if (!clip || !asset) useColor.getState().setScopes(null);
  }, [clip, asset]);

  useEffect(() => {
    const hook: ViewerHook = {
      readPixels() {
        const r = rendererRef.current;
        if (!r || !info.current.hasFrame) return null;
        const { width, height } = r.sourceSize;
        return { width, height, data: toBase64(r.readPixels()) };
      },
      state: () => ({ clipId: info.current.clipId, gradeKey: info.current.gradeKey, frameTime: info.current.frameTime, drawn: info.current.drawn, webgl: !!rendererRef.current }),
    };
    window.__shotlineViewer = hook;
    return () => {
      if (window.__shotlineViewer === hook) delete window.__shotlineViewer;
    };
  }, []);

  const shown = active && lut !== null && !glError;
  return (
    <>
      <div className={shown ? 'graded' : 'graded is-hidden'} style={containBox(size.w, size.h, ar)} data-testid="viewer-graded" data-grade-key={shown ? key : ''}>
        <canvas ref={canvasRef} className="graded__canvas" />
        {shown && compare && <GradedSplit />}
      </div>
      {clip && (lut || waiting) && !glError && (
        <button
          type="button"
          className={compare ? 'graded__compare is-on' : 'graded__compare'}
          onClick={() => useColor.getState().setCompare(!compare)}
          aria-pressed={compare}
          title="Before/after: drag the divider to compare the ungraded source with the grade"
          data-testid="viewer-compare"
        >
          Before | After
        </button>
      )}
      {(glError || error) && (
        <span className="graded__notice" role="status" data-testid="viewer-graded-notice">
          {glError ? 'Graded preview unavailable: WebGL2 is missing here (export still applies the grade).' : error}
        </span>
      )}
    </>
  );
}
