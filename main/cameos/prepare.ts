/**
 * From what the user gave (a recorded or chosen video, stills, an audio sample) to the files a
 * cameo keeps: the source clip as it is, reference stills (the frames the user picked on the
 * strip, else the sharpest ones), a poster, and a voice sample with the silence at both ends
 * trimmed and its integrated loudness measured. All written into a scratch folder; the library
 * then copies them in by content hash.
 */
import fs from 'node:fs';
import path from 'node:path';
import { laplacianVariance, suggestSharpest } from '../../app/cameos/sharpness.js';
import type { NewCameoMedia } from './library.js';
import { ShotlineError } from '../../app/errors.js';
import type { FfmpegEngine } from '../media/engine.js';
import { probeMedia } from '../media/probe.js';
import { makeOwnedTempDir } from '../util/scratch.js';
import { flicksToSeconds } from '../../app/time/flicks.js';

export interface CameoSources {
  video?: string;
  stills?: string[];
  audio?: string;
  /** Seconds into the video of the frames the user picked; none: the sharpest are suggested. */
  stillTimes?: number[];
  /** Whether a voice is wanted (the consent covers it): a clip with no audio is then an error. */
  wantVoice: boolean;
}

export interface FrameScore {
  t: number;
  sharpness: number;
}

const SCORE_W = 160;
const SCORE_H = 90;

/** Score `count` evenly spaced frames of a video by sharpness (Laplacian variance of the luma). */
export async function scoreFrames(engine: FfmpegEngine, video: string, seconds: number, count = 24, signal?: AbortSignal): Promise<FrameScore[]> {
  const fps = Math.max(0.1, count / Math.max(seconds, 0.1));
  const dir = await makeOwnedTempDir('shotline-gen-');
  try {
    const out = path.join(dir, 'gray.raw');
    await engine.run({ args: ['-y', '-i', video, '-vf', `fps=${fps.toFixed(4)},scale=${SCORE_W}:${SCORE_H},format=gray`, '-frames:v', String(count), '-f', 'rawvideo', out], signal });
    const raw = await fs.promises.readFile(out);
    const frameBytes = SCORE_W * SCORE_H;
    const scores: FrameScore[] = [];
    for (let i = 0; (i + 1) * frameBytes <= raw.length; i++) {
      scores.push({ t: Number(((i + 0.5) / fps).toFixed(3)), sharpness: laplacianVariance(new Uint8Array(raw.buffer, raw.byteOffset + i * frameBytes, frameBytes), SCORE_W, SCORE_H) });
    }
    return scores;
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/** Integrated loudness (LUFS) of an audio file, by ffmpeg's ebur128 meter. */
export async function measureLoudness(engine: FfmpegEngine, file: string, signal?: AbortSignal): Promise<number | null> {
  let lufs: number | null = null;
  await engine.run({
    args: ['-hide_banner', '-nostats', '-i', file, '-af', 'ebur128=framelog=verbose', '-f', 'null', '-'],
    signal,
    onLog: (line) => {
      const m = /^\s*I:\s+(-?[\d.]+|-inf) LUFS/.exec(line);
      if (m) lufs = m[1] === '-inf' ? null : Number(m[1]);
    },
  });
  return lufs;
}

const TRIM = 'silenceremove=start_periods=1:start_threshold=-45dB:start_silence=0.1';

/** The voice sample: mono 48 kHz WAV, silence at both ends trimmed. */
async function voiceSample(engine: FfmpegEngine, src: string, out: string, signal?: AbortSignal): Promise<{ seconds: number; lufs?: number }> {
  await engine.run({ args: ['-y', '-i', src, '-vn', '-ac', '1', '-ar', '48000', '-af', `${TRIM},areverse,${TRIM},areverse`, '-c:a', 'pcm_s16le', out], signal });
  const st = await fs.promises.stat(out);
  const seconds = Math.max(0, (st.size - 44) / (48000 * 2));
  if (seconds < 0.5) throw new ShotlineError('invalid_input', `The voice sample from "${path.basename(src)}" is silent (under half a second of sound after trimming silence).`, 'Record the sentence again closer to the microphone, or choose another audio file.');
  const lufs = await measureLoudness(engine, out, signal);
  return { seconds: Number(seconds.toFixed(3)), ...(lufs !== null ? { lufs } : {}) };
}

async function still(engine: FfmpegEngine, src: string, at: number | null, out: string, signal?: AbortSignal): Promise<{ sharpness: number; width: number; height: number }> {
  await engine.run({ args: ['-y', ...(at !== null ? ['-ss', at.toFixed(3)] : []), '-i', src, '-frames:v', '1', '-vf', "scale='min(1280,iw)':-2", '-update', '1', out], signal });
  // A time picked on the strip can fall after the clip's last frame (the recorder's clock runs
  // on a little after the picture stops): take the last frame instead.
  // (-update 1 keeps overwriting one picture, so the whole decode leaves the last frame.)
  if (at !== null && !fs.existsSync(out)) await engine.run({ args: ['-y', '-i', src, '-an', '-vf', "scale='min(1280,iw)':-2", '-update', '1', out], signal });
  if (!fs.existsSync(out)) throw new ShotlineError('media_unreadable', `No picture could be read from "${path.basename(src)}"${at !== null ? ` at ${at.toFixed(1)} s` : ''}.`, 'Record again, or pick other frames.');
  const gray = path.join(path.dirname(out), `${path.basename(out)}.gray`);
  await engine.run({ args: ['-y', '-i', out, '-vf', `scale=${SCORE_W}:${SCORE_H},format=gray`, '-f', 'rawvideo', gray], signal });
  const raw = await fs.promises.readFile(gray);
  const p = await probeMedia(out, engine, { signal });
  return { sharpness: Number(laplacianVariance(new Uint8Array(raw), SCORE_W, SCORE_H).toFixed(2)), width: p.probe.width ?? 0, height: p.probe.height ?? 0 };
}

/** Prepare a cameo's files into `dir`; throws a clear error for a corrupt, empty or soundless input. */
export async function prepareCameoMedia(engine: FfmpegEngine, src: CameoSources, dir: string, signal?: AbortSignal): Promise<NewCameoMedia[]> {
  const media: NewCameoMedia[] = [];
  if (!src.video && !src.stills?.length && !src.audio) throw new ShotlineError('invalid_input', 'Give the cameo a video, stills or an audio sample.');
  if (src.video) {
    let video = src.video;
    let p = await probeMedia(video, engine, { signal });
    // A browser recording (MediaRecorder WebM) has no duration or seek index: keep an MP4 of it
    // instead, so frames can be picked by time and a server can take it as a character.
    if (p.kind === 'video' && (p.ext === 'webm' || !(p.probe.durationFlicks > 0))) {
      const mp4 = path.join(dir, 'source.mp4');
      await engine.run({ args: ['-y', '-i', video, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-r', '30', ...(p.probe.hasAudio ? ['-c:a', 'aac', '-b:a', '160k'] : ['-an']), '-movflags', '+faststart', mp4], signal });
      video = mp4;
      p = await probeMedia(mp4, engine, { signal });
    }
    if (p.kind !== 'video') throw new ShotlineError('invalid_input', `"${path.basename(video)}" is ${p.kind === 'audio' ? 'a sound file' : 'a still image'}, not a video.`, 'Choose a video for the likeness, or add it as a ' + (p.kind === 'audio' ? 'voice sample.' : 'still.'));
    media.push({ role: 'source', file: video, ext: p.ext });
    const seconds = flicksToSeconds(p.probe.durationFlicks);
    let times = (src.stillTimes ?? []).filter((t) => t >= 0 && t <= seconds + 0.05);
    if (src.stillTimes?.length && !times.length) throw new ShotlineError('invalid_input', `The picked frames are outside the ${seconds.toFixed(1)} s video.`);
    if (!times.length && !src.stills?.length) times = suggestSharpest(await scoreFrames(engine, video, seconds, 24, signal), 3, seconds / 6).map((f) => f.t);
    for (const [i, t] of times.entries()) {
      const out = path.join(dir, `still-${i}.png`);
      const meta = await still(engine, video, Math.min(t, Math.max(0, seconds - 0.05)), out, signal);
      media.push({ role: 'still', file: out, ext: 'png', meta });
    }
    if (src.wantVoice && !src.audio) {
      if (!p.probe.hasAudio) throw new ShotlineError('invalid_input', `"${path.basename(video)}" has no sound, so it cannot provide a voice.`, 'Record again with the microphone on, add an audio sample, or make the consent cover the likeness only.');
      const out = path.join(dir, 'voice.wav');
      media.push({ role: 'voice', file: out, ext: 'wav', meta: await voiceSample(engine, video, out, signal) });
    }
  }
  for (const [i, s] of (src.stills ?? []).entries()) {
    const p = await probeMedia(s, engine, { signal });
    if (p.kind !== 'image') throw new ShotlineError('invalid_input', `"${path.basename(s)}" is not a still image.`, 'Choose PNG or JPEG stills.');
    const out = path.join(dir, `still-file-${i}.png`);
    media.push({ role: 'still', file: out, ext: 'png', meta: await still(engine, s, null, out, signal) });
  }
  if (src.audio) {
    const p = await probeMedia(src.audio, engine, { signal });
    if (!p.probe.hasAudio) throw new ShotlineError('invalid_input', `"${path.basename(src.audio)}" has no sound, so it cannot provide a voice.`, 'Choose an audio file with the person speaking.');
    const out = path.join(dir, 'voice.wav');
    media.push({ role: 'voice', file: out, ext: 'wav', meta: await voiceSample(engine, src.audio, out, signal) });
  }
  const first = media.find((m) => m.role === 'still');
  if (first) {
    const out = path.join(dir, 'poster.jpg');
    await engine.run({ args: ['-y', '-i', first.file, '-vf', 'scale=320:-2', '-frames:v', '1', '-update', '1', out], signal });
    media.push({ role: 'poster', file: out, ext: 'jpg' });
  }
  return media;
}
