/**
 * Guided capture with the camera and microphone (getUserMedia): face the camera, turn left and
 * right, read the consent sentence aloud — with a live level meter, a retake button, and a frame
 * strip sampled while recording, scored by sharpness (Laplacian variance, app/cameos/sharpness.ts)
 * with the sharpest suggested. The voice is measured from the recording: silence at both ends
 * trimmed, level shown.
 */
import { useEffect, useRef, useState } from 'react';
import { laplacianVariance, rgbaToGray } from '@app/cameos/sharpness';

export interface CaptureResult {
  file: File;
  /** Frames sampled while recording, full size (JPEG), scored for sharpness; `url` shows them. */
  frames: { t: number; sharpness: number; url: string; blob: Blob }[];
  voice: { start: number; end: number; dbfs: number } | null;
}

/**
 * Let go of a recording's frame pictures (their object URLs hold each JPEG in memory until the
 * page closes). Whoever holds the result last does it: this step for a recording it discards (a
 * retake, or closing the dialog), the dialog for the one it was handed.
 */
export function releaseFrames(r: Pick<CaptureResult, 'frames'>): void {
  for (const f of r.frames) URL.revokeObjectURL(f.url);
}

const STEPS = [
  { until: 4, text: 'Face the camera' },
  { until: 8, text: 'Turn slowly left, then right' },
  { until: 14, text: 'Read aloud:' },
];
const LENGTH_S = 14;
const FRAME_EVERY_S = 0.5;

/** Where the voice is: the span above -45 dBFS (in 20 ms windows) and its RMS level. */
export function measureVoice(data: Float32Array, rate: number): { start: number; end: number; dbfs: number } | null {
  const win = Math.max(1, Math.round(rate * 0.02));
  const thr = 10 ** (-45 / 20);
  let first = -1;
  let last = -1;
  for (let i = 0; i + win <= data.length; i += win) {
    let s = 0;
    for (let j = i; j < i + win; j++) s += data[j]! * data[j]!;
    if (Math.sqrt(s / win) > thr) {
      if (first < 0) first = i;
      last = i + win;
    }
  }
  if (first < 0 || last - first < rate * 0.5) return null;
  let sum = 0;
  for (let i = first; i < last; i++) sum += data[i]! * data[i]!;
  return { start: first / rate, end: last / rate, dbfs: 10 * Math.log10(sum / (last - first) || 1e-12) };
}

export function CaptureStep({ sentence, onDone }: { sentence: string; onDone: (r: CaptureResult | null) => void }) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [level, setLevel] = useState(0);
  const [elapsed, setElapsed] = useState<number | null>(null);
  const [result, setResult] = useState<CaptureResult | null>(null);
  const [busy, setBusy] = useState(false);
  const stopRef = useRef<() => void>(() => {});
  // The recording on show (for the unmount cleanup), the one handed to the dialog, and whether
  // this step is gone (a recording that ends after that is let go at once).
  const shown = useRef<CaptureResult | null>(null);
  const handedOver = useRef<CaptureResult | null>(null);
  const gone = useRef(false);
  shown.current = result;

  useEffect(() => {
    gone.current = false;
    return () => {
      gone.current = true;
      stopRef.current(); // a recording in progress stops sampling a video element that is going away
      if (shown.current && shown.current !== handedOver.current) releaseFrames(shown.current);
    };
  }, []);

  useEffect(() => {
    let s: MediaStream | null = null;
    let raf = 0;
    let ctx: AudioContext | null = null;
    (async () => {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error('This browser offers no camera access here (a secure page is needed).');
      s = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: true });
      setStream(s);
      if (videoRef.current) videoRef.current.srcObject = s;
      ctx = new AudioContext();
      const an = ctx.createAnalyser();
      an.fftSize = 1024;
      ctx.createMediaStreamSource(s).connect(an);
      const buf = new Float32Array(an.fftSize);
      const tick = () => {
        an.getFloatTimeDomainData(buf);
        let sum = 0;
        for (const v of buf) sum += v * v;
        setLevel(Math.min(1, Math.sqrt(sum / buf.length) * 4));
        raf = requestAnimationFrame(tick);
      };
      tick();
    })().catch((e: unknown) => {
      const name = (e as { name?: string }).name;
      setError(
        name === 'NotAllowedError'
          ? 'Camera or microphone permission was denied. Allow them in the browser (site settings), or create the cameo from files instead.'
          : name === 'NotFoundError' || name === 'OverconstrainedError'
            ? 'No camera or microphone was found. Connect one, or create the cameo from files instead.'
            : `The camera could not start: ${e instanceof Error ? e.message : String(e)}`,
      );
    });
    return () => {
      cancelAnimationFrame(raf);
      void ctx?.close();
      s?.getTracks().forEach((t) => t.stop());
    };
  }, []);

  function record() {
    if (!stream || !videoRef.current) return;
    if (result) releaseFrames(result); // a retake: the last recording's frames are not shown again
    setResult(null);
    const chunks: Blob[] = [];
    const frames: CaptureResult['frames'] = [];
    const rec = new MediaRecorder(stream, { mimeType: MediaRecorder.isTypeSupported('video/webm;codecs=vp8,opus') ? 'video/webm;codecs=vp8,opus' : 'video/webm' });
    rec.ondataavailable = (e) => e.data.size && chunks.push(e.data);
    // The frames the user picks are kept at full size as they were seen, so a still is exactly
    // the picture chosen (no seeking in the recording afterwards); scored at 160×120.
    const small = document.createElement('canvas');
    small.width = 160;
    small.height = 120;
    const g = small.getContext('2d', { willReadFrequently: true })!;
    const full = document.createElement('canvas');
    const t0 = performance.now();
    const sample = window.setInterval(() => {
      const v = videoRef.current!;
      const t = Number(((performance.now() - t0) / 1000).toFixed(2));
      g.drawImage(v, 0, 0, 160, 120);
      const sharpness = laplacianVariance(rgbaToGray(g.getImageData(0, 0, 160, 120).data, 160, 120), 160, 120);
      full.width = v.videoWidth || 640;
      full.height = v.videoHeight || 480;
      full.getContext('2d')!.drawImage(v, 0, 0, full.width, full.height);
      full.toBlob((blob) => blob && frames.push({ t, sharpness, blob, url: URL.createObjectURL(blob) }), 'image/jpeg', 0.92);
    }, FRAME_EVERY_S * 1000);
    const clock = window.setInterval(() => {
      const t = (performance.now() - t0) / 1000;
      setElapsed(t);
      if (t >= LENGTH_S) stop();
    }, 100);
    const stop = () => {
      window.clearInterval(sample);
      window.clearInterval(clock);
      if (rec.state !== 'inactive') rec.stop();
    };
    stopRef.current = stop;
    rec.onstop = async () => {
      setElapsed(null);
      setBusy(true);
      const blob = new Blob(chunks, { type: 'video/webm' });
      let voice: CaptureResult['voice'] = null;
      try {
        const ac = new OfflineAudioContext(1, 1, 48000);
        const buf = await ac.decodeAudioData(await blob.arrayBuffer());
        voice = measureVoice(buf.getChannelData(0), buf.sampleRate);
      } catch {
        voice = null;
      }
      setBusy(false);
      frames.sort((a, b) => a.t - b.t);
      if (gone.current) return releaseFrames({ frames });
      setResult({ file: new File([blob], 'capture.webm', { type: 'video/webm' }), frames, voice });
    };
    rec.start(250);
  }

  const step = elapsed === null ? null : (STEPS.find((s) => elapsed < s.until) ?? STEPS.at(-1)!);
  return (
    <div className="capture" data-testid="capture">
      {error ? (
        <>
          <p className="error-text" role="alert" data-testid="capture-error">
            {error}
          </p>
          {/* The message says "create it from files instead": this is the way there, without closing the dialog. */}
          <div className="row">
            <button type="button" className="btn btn--primary" onClick={() => onDone(null)} data-testid="capture-from-files" autoFocus>
              Create from files instead
            </button>
          </div>
        </>
      ) : (
        <>
          <div className="capture__stage">
            <video ref={videoRef} className="capture__video" autoPlay muted playsInline />
            {step && (
              <div className="capture__prompt" aria-live="polite" data-testid="capture-prompt">
                <strong>{step.text}</strong>
                {step === STEPS[2] && <span>“{sentence}”</span>}
                <span className="muted">{Math.max(0, LENGTH_S - (elapsed ?? 0)).toFixed(0)} s</span>
              </div>
            )}
          </div>
          <div className="capture__controls">
            <div className="level" role="meter" aria-label="Microphone level" aria-valuemin={0} aria-valuemax={1} aria-valuenow={Number(level.toFixed(2))} data-testid="level-meter">
              <div className="level__bar" style={{ width: `${Math.round(level * 100)}%` }} />
            </div>
            {elapsed === null ? (
              <button type="button" className="btn btn--primary" onClick={record} disabled={!stream || busy} data-testid="capture-record">
                {result ? 'Retake' : 'Record'}
              </button>
            ) : (
              <button type="button" className="btn" onClick={() => stopRef.current()} data-testid="capture-stop">
                Stop
              </button>
            )}
          </div>
          <p className="muted">
            About {LENGTH_S} seconds: face the camera, turn left and right, then read the sentence aloud — it records the consent in the person's own voice.
          </p>
        </>
      )}
      {result && (
        <div className="capture__review">
          <p>
            Recorded {(result.file.size / 1024).toFixed(0)} KB, {result.frames.length} frames sampled. Voice:{' '}
            <span data-testid="capture-voice">
              {result.voice ? `${(result.voice.end - result.voice.start).toFixed(1)} s after trimming silence, ${result.voice.dbfs.toFixed(1)} dBFS` : 'no sound was heard — the cameo will have no voice'}
            </span>
          </p>
          <button type="button" className="btn btn--primary" onClick={() => {
              handedOver.current = result;
              onDone(result);
            }} data-testid="capture-use">
            Use this recording
          </button>
        </div>
      )}
    </div>
  );
}
