// Pure unit tests for the media layer's parsers and math (no ffmpeg runs here).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLICKS_PER_SECOND } from '../../../app/time/flicks.js';
import { describeRun, inputArgs, outputArg } from '../../../main/media/args.js';
import { parseFilterList, parseVersionBanner } from '../../../main/media/ffmpeg-text.js';
import { filmstripArgs, tileSize } from '../../../main/media/filmstrip.js';
import { failedError } from '../../../main/media/media-errors.js';
import { Float32LeDecoder, PeakAccumulator, peaksFromSamples } from '../../../main/media/peaks-math.js';
import { chooseFrameRate, classify, extensionFor, rateFromLog, summaryFromFfmpegLog, summaryFromFfprobe } from '../../../main/media/probe-parse.js';
import { mapFilesForWasm } from '../../../main/media/wasm-engine.js';

describe('ffmpeg text output', () => {
  it('reads version banners', () => {
    expect(parseVersionBanner('ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers\nbuilt with gcc')).toBe('5.1.9-0+deb12u1');
    expect(parseVersionBanner('ffprobe version n7.1 Copyright')).toBe('n7.1');
    expect(parseVersionBanner('bash: ffmpeg: command not found')).toBeNull();
  });

  it('reads filter lists and skips the legend', () => {
    const text = [
      'Filters:',
      '  T.. = Timeline support',
      '  A = Audio input/output',
      '  | = Source or sink filter',
      ' ... abench            A->A       Benchmark part of a filtergraph.',
      ' TSC lut3d             V->V       Adjust colors using a 3D LUT.',
      ' ... vidstabdetect     V->V       Extract relative transformations.',
      ' ... abuffer           |->A       Buffer audio frames.',
      ' ... amix              N->A       Audio mixing.',
    ].join('\n');
    expect([...parseFilterList(text)].sort()).toEqual(['abench', 'abuffer', 'amix', 'lut3d', 'vidstabdetect']);
  });
});

describe('argument conventions', () => {
  it('finds inputs and the output', () => {
    const args = ['-ss', '1', '-i', 'a.mp4', '-f', 'lavfi', '-i', 'sine', '-c:v', 'libx264', 'out.mp4'];
    expect(inputArgs(args)).toEqual(['a.mp4', 'sine']);
    expect(outputArg(args)).toBe('out.mp4');
    expect(outputArg(['-i', 'a.mp4', '-f', 'null', '-'])).toBeNull();
    expect(outputArg(['-i', 'a.mp4', '-f', 'f32le', 'pipe:1'])).toBeNull();
    expect(outputArg(['-i', 'a.mp4'])).toBeNull();
    expect(describeRun(args)).toBe('writing "out.mp4" from "a.mp4", "sine"');
  });

  it('puts the stderr tail in the message and on the error', () => {
    const e = failedError(['-i', 'in.mp4', 'out.mp4'], { code: 1 }, ['line one', 'Conversion failed!']);
    expect(e.code).toBe('ffmpeg_failed');
    expect(e.message).toContain('"out.mp4"');
    expect(e.message).toContain('Conversion failed!');
    expect(e.stderrTail).toEqual(['line one', 'Conversion failed!']);
    expect(e.hint).toBeTruthy();
  });
});

describe('wasm file mapping', () => {
  it('maps real input files and the output into MEMFS, leaving lavfi sources alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-map-'));
    try {
      const input = path.join(dir, 'my clip (1).mp4');
      const lut = path.join(dir, 'look.cube');
      fs.writeFileSync(input, 'x');
      fs.writeFileSync(lut, 'x');
      const m = mapFilesForWasm(['-i', input, '-f', 'lavfi', '-i', 'testsrc2=d=1', '-vf', `lut3d=file=${lut}`, path.join(dir, 'out.mp4')], [lut]);
      expect(m.args).toEqual(['-i', '/in/0/my_clip__1_.mp4', '-f', 'lavfi', '-i', 'testsrc2=d=1', '-vf', 'lut3d=file=/extra/0/look.cube', '/out/out.mp4']);
      expect(m.inputs).toEqual([
        { real: input, mem: '/in/0/my_clip__1_.mp4' },
        { real: lut, mem: '/extra/0/look.cube' },
      ]);
      expect(m.output).toEqual({ real: path.join(dir, 'out.mp4'), mem: '/out/out.mp4' });
      expect(mapFilesForWasm(['-i', input, '-f', 'null', '-']).output).toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Trimmed from real ffmpeg 5.1 output.
const VIDEO_LOG = [
  "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '/tmp/a.mp4':",
  '  Metadata:',
  '    major_brand     : isom',
  '  Duration: 00:00:02.00, start: 0.000000, bitrate: 866 kb/s',
  '  Stream #0:0[0x1](und): Video: h264 (Constrained Baseline) (avc1 / 0x31637661), yuv420p(progressive), 320x240 [SAR 1:1 DAR 4:3], 783 kb/s, 29.97 fps, 29.97 tbr, 30k tbn (default)',
  '    Metadata:',
  '      handler_name    : VideoHandler',
  '  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 69 kb/s (default)',
  'Stream mapping:',
  '  Stream #0:0 -> #0:0 (h264 (native) -> wrapped_avframe (native))',
  "Output #0, null, to 'pipe:':",
  '  Stream #0:0: Video: wrapped_avframe, yuv420p(progressive), 320x240 [SAR 1:1 DAR 4:3], q=2-31, 200 kb/s, 25 fps, 25 tbn',
];

describe('probe parsing', () => {
  it('reads the ffmpeg -i report (and only the input section)', () => {
    const s = summaryFromFfmpegLog(VIDEO_LOG);
    expect(s).toEqual({
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      durationSeconds: 2,
      streams: [
        { type: 'video', codec: 'h264', width: 320, height: 240, fps: { num: 30000, den: 1001 }, attachedPic: false },
        { type: 'audio', codec: 'aac', sampleRate: 44100, channels: 2, attachedPic: false },
      ],
    });
    expect(classify(s!)).toEqual({
      kind: 'video',
      probe: { durationFlicks: 2 * FLICKS_PER_SECOND, hasVideo: true, hasAudio: true, width: 320, height: 240, fps: { num: 30000, den: 1001 }, videoCodec: 'h264', audioCodec: 'aac', sampleRate: 44100, channels: 2 },
    });
    expect(summaryFromFfmpegLog(['/tmp/x.mp4: Invalid data found when processing input'])).toBeNull();
  });

  it('treats cover art as not-video and still images as images', () => {
    const mp3 = summaryFromFfmpegLog([
      "Input #0, mp3, from 'song.mp3':",
      '  Duration: 00:03:00.05, start: 0.025057, bitrate: 128 kb/s',
      '  Stream #0:0: Audio: mp3, 44100 Hz, stereo, fltp, 128 kb/s',
      '  Stream #0:1: Video: mjpeg (Baseline), yuvj420p(pc, bt470bg/unknown/unknown), 500x500 [SAR 1:1 DAR 1:1], 90k tbr, 90k tbn (attached pic)',
    ]);
    expect(classify(mp3!)?.kind).toBe('audio');
    expect(classify(mp3!)?.probe.hasVideo).toBe(false);
    const png = summaryFromFfmpegLog(["Input #0, png_pipe, from 'a.png':", '  Duration: N/A, bitrate: N/A', '  Stream #0:0: Video: png, rgb24(pc), 640x360 [SAR 1:1 DAR 16:9], 25 fps, 25 tbr, 25 tbn']);
    expect(classify(png!)).toEqual({ kind: 'image', probe: { durationFlicks: 0, hasVideo: true, hasAudio: false, width: 640, height: 360, videoCodec: 'png', frameCount: 1 } });
  });

  it('classifies ffprobe JSON: motion JPEG with many frames is video, one frame is an image', () => {
    const stream = (nb: string) => ({ codec_type: 'video', codec_name: 'mjpeg', width: 64, height: 48, r_frame_rate: '25/1', avg_frame_rate: '25/1', nb_frames: nb, duration: '4.0', disposition: { attached_pic: 0 } });
    expect(classify(summaryFromFfprobe({ format: { format_name: 'avi', duration: '4.0' }, streams: [stream('100')] })!)?.kind).toBe('video');
    expect(classify(summaryFromFfprobe({ format: { format_name: 'avi', duration: '0.04' }, streams: [stream('1')] })!)?.kind).toBe('image');
    expect(classify(summaryFromFfprobe({ format: { format_name: 'tty' }, streams: [{ codec_type: 'video', codec_name: 'ansi' }] })!)).toBeNull();
    expect(classify(summaryFromFfprobe({ format: { format_name: 'mpegts' }, streams: [{ codec_type: 'data', codec_name: 'bin_data' }] })!)).toBeNull();
    expect(summaryFromFfprobe({})).toBeNull();
  });

  it('chooses exact frame rates', () => {
    expect(chooseFrameRate('30000/1001', '30000/1001')).toEqual({ num: 30000, den: 1001 });
    expect(chooseFrameRate('24/1', '2997/125')).toEqual({ num: 24, den: 1 });
    expect(chooseFrameRate('90000/1', '12/1')).toEqual({ num: 12, den: 1 });
    expect(rateFromLog('23.98')).toEqual({ num: 24000, den: 1001 });
    expect(rateFromLog('59.94')).toEqual({ num: 60000, den: 1001 });
    expect(rateFromLog('25')).toEqual({ num: 25, den: 1 });
    expect(rateFromLog('12.5')).toEqual({ num: 25, den: 2 });
    expect(rateFromLog('1k')).toEqual({ num: 1000, den: 1 });
  });

  it('picks a storage extension', () => {
    expect(extensionFor('Clip.MP4', 'mov,mp4,m4a,3gp,3g2,mj2')).toBe('mp4');
    expect(extensionFor('download', 'mov,mp4,m4a,3gp,3g2,mj2')).toBe('mp4');
    expect(extensionFor('download', 'matroska,webm')).toBe('webm');
    expect(extensionFor('photo', 'image2', 'mjpeg')).toBe('jpg');
    expect(extensionFor('photo', 'png_pipe', 'png')).toBe('png');
  });
});

describe('peaks math', () => {
  it('gives min/max per bucket, interleaved and rounded to 3 decimals', () => {
    const samples = new Float32Array([0.1, -0.2, 0.33333, 0.5, -0.7, 0.25, 1.5, -2]);
    expect(peaksFromSamples(samples, 8, 2)).toEqual([-0.2, 0.5, -1, 1]);
  });

  it('keeps a partial last bucket and spreads uneven buckets without drift', () => {
    expect(peaksFromSamples(new Float32Array([0.5, 0.5, 0.5]), 4, 2)).toEqual([0.5, 0.5, 0.5, 0.5]);
    // 10 samples/s at 3 peaks/s: buckets of 3, 3, 4 samples (boundaries 3, 6, 10).
    const ramp = Float32Array.from({ length: 10 }, (_, i) => i / 10);
    expect(peaksFromSamples(ramp, 10, 3)).toEqual([0, 0.2, 0.3, 0.5, 0.6, 0.9]);
    expect(peaksFromSamples(new Float32Array(0), 8000, 100)).toEqual([]);
  });

  it('silence is exact zeros (no -0) and a chunked stream equals one shot', () => {
    expect(peaksFromSamples(new Float32Array([-0, -0.0001, 0]), 3, 1)).toEqual([0, 0]);
    const sine = Float32Array.from({ length: 8000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 8000 + 0.3));
    const bytes = new Uint8Array(sine.buffer);
    const dec = new Float32LeDecoder();
    const acc = new PeakAccumulator(8000, 100);
    for (let at = 0; at < bytes.length; at += 4093) acc.push(dec.push(bytes.subarray(at, at + 4093))); // odd chunk size splits floats
    expect(acc.finish()).toEqual(peaksFromSamples(sine, 8000, 100));
  });
});

describe('filmstrip plan', () => {
  it('keeps aspect with even tile sides', () => {
    expect(tileSize({ width: 1920, height: 1080 }, 72)).toEqual({ tileWidth: 128, tileHeight: 72 });
    expect(tileSize({ width: 720, height: 1280 }, 72)).toEqual({ tileWidth: 40, tileHeight: 72 });
    expect(tileSize({ width: 320, height: 240 }, 71)).toEqual({ tileWidth: 96, tileHeight: 72 });
  });

  it('samples video at frames/duration in one run, and loops a still', () => {
    const video = filmstripArgs('in.mp4', { durationFlicks: 10 * FLICKS_PER_SECOND, hasVideo: true, hasAudio: false }, 'o.jpg', 10, { tileWidth: 96, tileHeight: 72 });
    expect(video.join(' ')).toContain('-ss 0.500000 -i in.mp4');
    expect(video.join(' ')).toMatch(/fps=1\.000000,scale=96:72.*,tile=10x1/);
    const still = filmstripArgs('in.png', { durationFlicks: 0, hasVideo: true, hasAudio: false }, 'o.jpg', 5, { tileWidth: 96, tileHeight: 72 });
    expect(still.join(' ')).toContain('loop=loop=4:size=1');
    expect(still.at(-1)).toBe('o.jpg');
  });
});
