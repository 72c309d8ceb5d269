/**
 * The timeline the export benchmarks compare: three 1080p30 clips (4 s sources with a tone
 * each), each trimmed to 0.5–3.5 s, all carrying the same colour grade; 9 s in all. Built the
 * way a user builds it: through the API (import, clip.add, clip.setGrade) into a real project
 * folder that `shotline export` then opens as a separate process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { compileGrade } from '../app/color/compile.js';
import { writeCube } from '../app/color/cube.js';
import { NEUTRAL_GRADE, type ColorGrade } from '../app/model/color.js';
import { secondsToFlicks } from '../app/time/flicks.js';
import { TERMINAL_STATES } from '../app/jobs/types.js';
import { inProcessClient } from '../main/bridge/in-process.js';
import { ShotlineServices } from '../main/services/shotline.js';
import { makeTestVideo } from '../tests/helpers/media-fixtures.js';

export const CLIP = { inS: 0.5, outS: 3.5, count: 3 } as const;
export const GRADE: ColorGrade = { ...NEUTRAL_GRADE, exposure: 0.3, contrast: 0.15, saturation: 1.25, temperature: 0.2 };

export interface BenchProject {
  dir: string;
  sources: string[];
  /** The grade as a .cube, as a colourist would hand it to ffmpeg. */
  cube: string;
  seconds: number;
}

export async function buildGradedProject(root: string, home: string): Promise<BenchProject> {
  const media = path.join(root, 'sources');
  fs.mkdirSync(media, { recursive: true });
  const sources = [330, 550, 770].map((_, i) => path.join(media, `hd${i}.mp4`));
  await Promise.all(
    sources.map((p, i) => makeTestVideo({ path: p, seconds: 4, width: 1920, height: 1080, fps: 30, toneHz: 330 + 220 * i, withAudio: true })),
  );
  const services = await ShotlineServices.create({ transport: 'in-process', userDataDir: home });
  const api = inProcessClient(services);
  const dir = path.join(root, 'film');
  try {
    const snap = await api.call('project.create', { dir, name: 'Bench graded' });
    const v1 = Object.values(snap.state.tracks).find((t) => t.kind === 'video' && t.index === 0)!;
    const imported = await api.call('assets.import', { files: sources.map((p) => ({ path: p })) });
    if (imported.failed.length) throw new Error(`import failed: ${imported.failed[0]!.error.message}`);
    // Import order is not promised: place clips in source order.
    const byName = (i: number) => imported.imported.find((a) => a.name === `hd${i}.mp4`)!;
    const len = CLIP.outS - CLIP.inS;
    for (let i = 0; i < CLIP.count; i++) {
      const r = await api.call('edit.apply', {
        command: 'clip.add',
        args: { trackId: v1.id, assetId: byName(i).id, startFlicks: secondsToFlicks(i * len), inFlicks: secondsToFlicks(CLIP.inS), outFlicks: secondsToFlicks(CLIP.outS) },
      });
      const clipId = Object.keys(r.patch.clips ?? {})[0]!;
      await api.call('edit.apply', { command: 'clip.setGrade', args: { clipId, grade: GRADE } });
    }
    // Let import's thumbnail/waveform jobs finish: the export process should not inherit them.
    for (;;) {
      const jobs = await api.call('jobs.list', {});
      if (jobs.every((j) => TERMINAL_STATES.includes(j.state))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await services.shutdown();
  }
  const cube = path.join(root, 'grade.cube');
  fs.writeFileSync(cube, writeCube(compileGrade(GRADE, null)));
  return { dir, sources, cube, seconds: CLIP.count * (CLIP.outS - CLIP.inS) };
}

/**
 * The command a person would write for the same output: input seeking for the trims, one
 * concat, the grade's LUT once (with the BT.709 matrix HD video is decoded with), the same
 * encoder settings as the preset.
 *
 * RGB for the LUT: planar (`gbrp`), which swscale reaches exactly (interpolated chroma, exact
 * rounding) with no flags: the picture the grade was judged on in the Viewer. `rgb: 'packed'`
 * writes `format=rgb24` instead, which swscale serves by its fast path (nearest chroma): a
 * cheaper but different picture (33.7 dB from the exact one in RGB), measured beside it.
 */
export function handWrittenArgs(p: BenchProject, out: string, x264: { preset: string; crf: number; audioK: number }, rgb: 'planar' | 'packed' = 'planar'): string[] {
  const args = ['-hide_banner', '-nostdin', '-y'];
  for (const s of p.sources) args.push('-ss', String(CLIP.inS), '-t', String(CLIP.outS - CLIP.inS), '-i', s);
  const n = p.sources.length;
  const pads = p.sources.map((_, i) => `[${i}:v][${i}:a]`).join('');
  args.push(
    '-filter_complex',
    `${pads}concat=n=${n}:v=1:a=1[v][a];` +
      `[v]scale=in_color_matrix=bt709,format=${rgb === 'planar' ? 'gbrp' : 'rgb24'},lut3d=file=${p.cube}:interp=tetrahedral,scale=out_color_matrix=bt709:out_range=tv,format=yuv420p[g]`,
    '-map', '[g]', '-map', '[a]',
    '-c:v', 'libx264', '-preset', x264.preset, '-crf', String(x264.crf), '-pix_fmt', 'yuv420p', '-profile:v', 'high',
    '-c:a', 'aac', '-b:a', `${x264.audioK}k`, '-ar', '48000', '-ac', '2',
    '-movflags', '+faststart', '-f', 'mp4', out,
  );
  return args;
}

/** An MLT XML of the same timeline for `melt` (the engine of Kdenlive and Shotcut). */
export function meltXml(p: BenchProject): string {
  const fps = 30;
  const inF = Math.round(CLIP.inS * fps);
  const outF = Math.round(CLIP.outS * fps) - 1;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const producers = p.sources
    .map(
      (s, i) =>
        // No in/out on the producer: the entry's in/out count from the producer's own in, so
        // setting both trimmed twice (melt showed 0.5 s later content: 20 dB, not the same frames).
        `  <producer id="p${i}"><property name="resource">${esc(s)}</property>` +
        `<filter><property name="mlt_service">avfilter.lut3d</property><property name="av.file">${esc(p.cube)}</property><property name="av.interp">tetrahedral</property></filter></producer>`,
    )
    .join('\n');
  const entries = p.sources.map((_, i) => `    <entry producer="p${i}" in="${inF}" out="${outF}"/>`).join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<mlt>
  <profile width="1920" height="1080" frame_rate_num="${fps}" frame_rate_den="1" sample_aspect_num="1" sample_aspect_den="1" display_aspect_num="16" display_aspect_den="9" progressive="1" colorspace="709"/>
${producers}
  <playlist id="main">
${entries}
  </playlist>
</mlt>
`;
}
