/**
 * A feature-length project for the scale benchmark and the DOM-size test (issue 14): N
 * shots, each with a chosen take, assembled onto V1, plus a bed of short sound clips on A1
 * — built the way a user or a script builds it, through `shotline run` (the CLI process and
 * the API's validation), never by writing the database.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FLICKS_PER_SECOND } from '../../app/time/flicks.js';
import { ProjectStore } from '../../main/store/project-store.js';
import { makeTestAudio, makeTestVideo } from './media-fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ScaleSpec {
  shots: number;
  /** Clips in all: what assembling `shots` lays down (each picture with its linked sound), the rest one-second sounds on a music track. */
  clips: number;
}

function shotline(home: string, ...args: string[]): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/shotline.mjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, SHOTLINE_HOME: home },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`shotline ${args[0]} failed (${r.status}):\n${r.stderr.slice(-4000)}`);
}

function runScript(home: string, dir: string, file: string, steps: unknown[]): void {
  fs.writeFileSync(file, JSON.stringify(steps));
  shotline(home, 'run', dir, file);
}

export async function buildScaleProject(root: string, spec: ScaleSpec): Promise<string> {
  const home = path.join(root, 'home');
  const media = path.join(root, 'media');
  const dir = path.join(root, `project-${spec.shots}x${spec.clips}`);
  fs.mkdirSync(media, { recursive: true });
  const sources = [
    await makeTestVideo({ path: path.join(media, 'take-a.mp4'), seconds: 2, width: 320, height: 180, withAudio: true, toneHz: 330 }),
    await makeTestVideo({ path: path.join(media, 'take-b.mp4'), seconds: 2, width: 320, height: 180, withAudio: true, toneHz: 550 }),
  ];
  const sound = await makeTestAudio({ path: path.join(media, 'room-tone.wav'), seconds: 2, toneHz: 220, amplitude: 0.2 });

  const steps: unknown[] = [{ method: 'assets.import', input: { files: [...sources, sound].map((p) => ({ path: p })) }, as: 'imp' }];
  for (let i = 0; i < spec.shots; i++) {
    const shotId = `shot-${i}`;
    steps.push({ method: 'edit.apply', input: { command: 'shot.add', args: { shotId, fields: { title: `Shot ${i + 1}`, prompt: { subject: `scene ${i + 1}` }, durationFlicks: 2 * FLICKS_PER_SECOND } } } });
    steps.push({ method: 'edit.apply', input: { command: 'take.add', args: { shotId, assetId: `\${imp.imported.${i % 2}.id}` } } });
  }
  // Pictures keep their sound inside them (linkAudio false), so the project is the same 5,000 clips it always was.
  steps.push({ method: 'edit.apply', input: { command: 'timeline.assemble', args: { linkAudio: false } } });
  steps.push({ method: 'edit.apply', input: { command: 'track.add', args: { kind: 'audio' } } });
  runScript(home, dir, path.join(root, 'build-1.json'), steps);

  const store = ProjectStore.open(dir);
  const state = store.loadState();
  store.close();
  // The beds go on the audio track added last (assembly puts each shot's sound on A1).
  const music = Object.values(state.tracks)
    .filter((t) => t.kind === 'audio')
    .sort((a, b) => b.index - a.index)[0]!;
  const wav = Object.values(state.assets).find((a) => a.kind === 'audio')!;
  const beds: unknown[] = [];
  for (let i = 0; i < spec.clips - Object.keys(state.clips).length; i++) {
    beds.push({ method: 'edit.apply', input: { command: 'clip.add', args: { trackId: music.id, assetId: wav.id, startFlicks: i * FLICKS_PER_SECOND, inFlicks: 0, outFlicks: FLICKS_PER_SECOND } } });
  }
  if (beds.length) runScript(home, dir, path.join(root, 'build-2.json'), beds);
  return dir;
}
