/**
 * Audio benchmark: `npm run bench -- audio`.
 *
 * (i)  A 10-track, 60 s mix exported with the web loudness target (preset vertical-1080:
 *      −14 LUFS / −1 dBTP, two-pass loudnorm of the final mix) by `shotline export` run as a
 *      process, against what a person would run by hand for the same file: ffmpeg `amix` +
 *      `loudnorm` measured in a first pass, then the second pass applying the measured values
 *      while encoding the same black 1080×1920 picture and AAC. Runs alternate; median of 3
 *      (SHOTLINE_BENCH_RUNS). Target: ≤ 1.05× (CPU; wall shown too). Both outputs are measured
 *      with ebur128, so a fast but wrong export cannot pass.
 * (ii) Voicing 20 dialogue lines with espeak-ng through "Voice dialogue" (the job: synthesis,
 *      import, placement), against 20 plain `espeak-ng -w` runs.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Job } from '../app/jobs/types.js';
import { findPreset } from '../app/export/presets.js';
import { secondsToFlicks } from '../app/time/flicks.js';
import { inProcessClient } from '../main/bridge/in-process.js';
import { findNativeFfmpeg } from '../main/media/native-engine.js';
import { ShotlineServices } from '../main/services/shotline.js';
import { printTable, type Row } from './report.js';
import { medianOf, plainFfmpeg, timed, type Sample } from './measure.js';
import { CLI, runProcess } from './process.js';

const RUNS = Number(process.env.SHOTLINE_BENCH_RUNS) || 3;
const TRACKS = 10;
const SECONDS = 60;
const LINES = 20;

function run(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => execFile(bin, args, { maxBuffer: 64 << 20 }, (e, _o, err) => (e ? reject(new Error(String(err).slice(-1500))) : resolve(String(err)))));
}

async function ebur128(ffmpeg: string, file: string): Promise<{ I: number; TP: number }> {
  const log = await run(ffmpeg, ['-hide_banner', '-nostdin', '-i', file, '-map', '0:a:0', '-af', 'ebur128=peak=true', '-f', 'null', '-']);
  const tail = log.slice(log.lastIndexOf('Summary:'));
  return { I: Number(/I:\s*(-?[\d.]+) LUFS/.exec(tail)![1]), TP: Number(/Peak:\s*(-?[\d.]+) dBFS/.exec(tail)![1]) };
}

/** Ten stems, 60 s each: tones and noise beds at different levels (a music-and-effects mix). */
async function makeStems(ffmpeg: string, dir: string): Promise<string[]> {
  const files: string[] = [];
  for (let i = 0; i < TRACKS; i++) {
    const f = path.join(dir, `stem${i}.wav`);
    const src = i % 2 ? `anoisesrc=color=pink:amplitude=${(0.02 * (i + 1)).toFixed(2)}:sample_rate=48000:duration=${SECONDS}` : `sine=f=${220 * (i + 1)}:sample_rate=48000:duration=${SECONDS},volume=${(0.05 * (i + 1)).toFixed(2)}`;
    await run(ffmpeg, ['-hide_banner', '-nostdin', '-y', '-f', 'lavfi', '-i', `${src},tremolo=f=${0.5 + i * 0.3}:d=0.5`, '-ac', '2', '-c:a', 'pcm_s16le', f]);
    files.push(f);
  }
  return files;
}

async function waitJob(api: ReturnType<typeof inProcessClient>, id: string): Promise<Job> {
  for (;;) {
    const j = (await api.call('jobs.list', {})).find((x) => x.id === id)!;
    if (['succeeded', 'failed', 'canceled'].includes(j.state)) return j;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const found = await findNativeFfmpeg({});
  if (!found) return console.log('No native ffmpeg found: nothing to benchmark.');
  const ffmpeg = found.ffmpeg;
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'shotline-bench-audio-'));
  const home = path.join(dir, 'home');
  const summary: Row[] = [];
  try {
    const stems = await makeStems(ffmpeg, dir);
    // The project: ten audio tracks, one stem each, over 60 s.
    const project = path.join(dir, 'film');
    const services = await ShotlineServices.create({ transport: 'in-process', userDataDir: home });
    const api = inProcessClient(services);
    let voiceSamples: Sample[] = [];
    try {
      await api.call('project.create', { dir: project, name: 'Bench mix' });
      const imported = await api.call('assets.import', { files: stems.map((p) => ({ path: p })) });
      const byName = (i: number) => imported.imported.find((a) => a.name === `stem${i}.wav`)!;
      let snap = await api.call('project.snapshot', {});
      for (let i = Object.values(snap.state.tracks).filter((t) => t.kind === 'audio').length; i < TRACKS; i++) await api.call('edit.apply', { command: 'track.add', args: { kind: 'audio' } });
      snap = await api.call('project.snapshot', {});
      const audioTracks = Object.values(snap.state.tracks).filter((t) => t.kind === 'audio').sort((a, b) => a.index - b.index);
      for (let i = 0; i < TRACKS; i++) await api.call('edit.apply', { command: 'clip.add', args: { trackId: audioTracks[i]!.id, assetId: byName(i).id, startFlicks: 0 } });

      // (ii) 20 dialogue lines through the job, then 20 plain espeak-ng runs.
      await api.call('edit.apply', { command: 'shot.add', args: { shotId: 'shot_bench', fields: { title: 'Talk', durationFlicks: secondsToFlicks(60) } } });
      const dialogue = Array.from({ length: LINES }, (_, i) => ({ speaker: i % 2 ? 'BEN' : 'ANNA', line: `This is line number ${i + 1}, spoken to measure how long the voicing takes.` }));
      await api.call('edit.apply', { command: 'shot.update', args: { shotId: 'shot_bench', fields: { prompt: { dialogue } } } });
      const ours: Sample[] = [];
      const plain: Sample[] = [];
      for (let r = 0; r < RUNS; r++) {
        ours.push(await timed(async () => {
          const job = await api.call('dialogue.voice', { shotId: 'shot_bench' });
          const done = await waitJob(api, job.id);
          if (done.state !== 'succeeded') throw new Error(`voicing ${done.state}: ${done.error?.message}`);
        }));
        plain.push(await timed(async () => {
          for (const [i, d] of dialogue.entries()) await runProcess('espeak-ng', ['-v', i % 2 ? 'en-us+f3' : 'en-us', '-w', path.join(dir, `plain${i}.wav`), d.line]);
        }));
      }
      voiceSamples = ours;
      summary.push({ name: `voice ${LINES} dialogue lines (espeak-ng, job: synthesis + import + placement), wall`, value: medianOf(ours, 'wall')!, unit: 's', baseline: medianOf(plain, 'wall')!, baselineName: `${LINES} plain espeak-ng -w runs` });
      const c1 = medianOf(ours, 'cpu');
      const c0 = medianOf(plain, 'cpu');
      if (c1 !== null && c0 !== null) summary.push({ name: `voice ${LINES} dialogue lines, CPU`, value: c1, unit: 's', baseline: c0, baselineName: `${LINES} plain espeak-ng -w runs` });
      // The voiced lines are not part of the mix bench: take them off the timeline.
      await api.call('edit.undo', {});
      for (;;) {
        const jobs = await api.call('jobs.list', {});
        if (jobs.every((j) => ['succeeded', 'failed', 'canceled'].includes(j.state))) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const left = (await api.call('project.snapshot', {})).state;
      const stray = Object.values(left.clips).filter((c) => !stems.some((_, i) => c.assetId === byName(i).id));
      if (stray.length) await api.call('edit.apply', { command: 'clip.remove', args: { clipIds: stray.map((c) => c.id) } });
    } finally {
      await services.shutdown();
    }

    // (i) the mix export.
    const preset = findPreset('vertical-1080')!;
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    const oursOut = path.join(out, 'shotline.mp4');
    const handOut = path.join(out, 'hand.mp4');
    const inputs = stems.flatMap((f) => ['-i', f]);
    const mix = `${stems.map((_, i) => `[${i}:a]`).join('')}amix=inputs=${TRACKS}:normalize=0:duration=longest`;
    const hand = async () => {
      const log = await run(ffmpeg, ['-hide_banner', '-nostdin', ...inputs, '-filter_complex', `${mix},loudnorm=I=-14:TP=-1.5:LRA=50:print_format=json[a]`, '-map', '[a]', '-f', 'null', '-']);
      const j = JSON.parse(log.slice(log.lastIndexOf('{'), log.lastIndexOf('}') + 1)) as Record<string, string>;
      const apply = `loudnorm=I=-14:TP=-1.5:LRA=50:measured_I=${j.input_i}:measured_TP=${j.input_tp}:measured_LRA=${j.input_lra}:measured_thresh=${j.input_thresh}:offset=${j.target_offset}:linear=true,aresample=48000`;
      await plainFfmpeg(ffmpeg, [
        '-hide_banner', '-nostdin', '-y',
        '-f', 'lavfi', '-i', `color=c=black:s=${preset.width}x${preset.height}:r=30:d=${SECONDS}`, ...inputs,
        '-filter_complex', `${stems.map((_, i) => `[${i + 1}:a]`).join('')}amix=inputs=${TRACKS}:normalize=0:duration=longest,${apply}[a]`,
        '-map', '0:v', '-map', '[a]', '-c:v', 'libx264', '-preset', preset.x264Preset, '-crf', String(preset.crf), '-pix_fmt', 'yuv420p', '-profile:v', 'high',
        '-c:a', 'aac', '-b:a', `${preset.audioBitrateK}k`, '-ar', '48000', '-ac', '2', '-t', String(SECONDS), '-movflags', '+faststart', handOut,
      ]);
    };
    const env = { ...process.env, SHOTLINE_HOME: home };
    const cli = () => runProcess(process.execPath, [CLI, 'export', project, '--preset', preset.id, '--out', oursOut, '--overwrite'], env);
    await hand();
    await cli();
    const plainS: Sample[] = [];
    const oursS: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (i % 2 === 0) {
        plainS.push(await timed(hand));
        oursS.push(await timed(cli));
      } else {
        oursS.push(await timed(cli));
        plainS.push(await timed(hand));
      }
    }
    const [mo, mh] = await Promise.all([ebur128(ffmpeg, oursOut), ebur128(ffmpeg, handOut)]);
    const what = `${TRACKS}-track ${SECONDS} s mix → 9:16 at −14 LUFS (two-pass loudnorm)`;
    summary.unshift(
      { name: `shotline export (process) ${what}, wall`, value: medianOf(oursS, 'wall')!, unit: 's', baseline: medianOf(plainS, 'wall')!, baselineName: 'ffmpeg amix + loudnorm by hand' },
      ...(medianOf(oursS, 'cpu') !== null && medianOf(plainS, 'cpu') !== null
        ? [{ name: `shotline export (process) ${what}, CPU`, value: medianOf(oursS, 'cpu')!, unit: 's', baseline: medianOf(plainS, 'cpu')!, baselineName: 'ffmpeg amix + loudnorm by hand', target: '≤ 1.05×' }]
        : []),
      { name: 'exported loudness (shotline)', value: mo.I, unit: `LUFS, true peak ${mo.TP} dBTP`, target: '−14 ± 1, ≤ −1 dBTP' },
      { name: 'exported loudness (by hand)', value: mh.I, unit: `LUFS, true peak ${mh.TP} dBTP` },
    );
    console.log(`\nShotline audio benchmark — ${os.cpus().length} CPUs (load ${os.loadavg()[0]!.toFixed(1)}), ffmpeg ${found.version}, median of ${RUNS}`);
    console.log(`mix runs (wall s): shotline ${oursS.map((s) => s.wall.toFixed(1)).join(' ')} | by hand ${plainS.map((s) => s.wall.toFixed(1)).join(' ')}`);
    console.log(`voicing runs (wall s): ${voiceSamples.map((s) => s.wall.toFixed(2)).join(' ')}\n`);
    printTable(summary);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
  console.log(`\ntotal bench time ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(0);
  },
);
