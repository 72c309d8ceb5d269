/**
 * `shotline sample DIR` and the start screen's "Create sample project": a ready-to-export
 * three-shot storyboard whose media ffmpeg makes at run time (nothing binary is shipped).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FfmpegEngine } from '../media/engine.js';
import { importOne } from '../session/import-media.js';
import type { ProjectSession } from '../session/project-session.js';
import { orderedShots } from '../../app/timeline/query.js';

const SECONDS = 3;

const SHOTS = [
  {
    title: 'Establishing: the lighthouse',
    source: `testsrc2=s=1280x720:r=30:d=${SECONDS}`,
    tone: 220,
    prompt: { subject: 'An old lighthouse on a cliff', action: 'its beam sweeps across the sea', setting: 'rocky coast at dusk', camera: 'slow aerial push-in, wide', lighting: 'blue hour, warm lamp', style: 'cinematic, 35mm film grain', audio: 'waves and distant gulls' },
  },
  {
    title: 'The keeper',
    source: `smptehdbars=s=1280x720:r=30:d=${SECONDS}`,
    tone: 330,
    prompt: { subject: 'The lighthouse keeper, a woman in her sixties', action: 'climbs the spiral stairs with a lantern', setting: 'inside the tower', camera: 'handheld, following from below', lighting: 'lantern light, deep shadows', style: 'cinematic, 35mm film grain', audio: 'footsteps on iron stairs' },
    dialogue: [{ speaker: 'Keeper', line: 'One more night.' }],
  },
  {
    title: 'The storm arrives',
    source: `life=s=1280x720:r=30:mold=10:ratio=0.1:death_color=#1a2238:life_color=#e8c170`,
    tone: 440,
    prompt: { subject: 'Storm clouds', action: 'roll in over the lantern room', setting: 'open sea horizon', camera: 'locked-off wide, time-lapse', lighting: 'lightning flashes', style: 'cinematic, 35mm film grain', audio: 'thunder rising' },
  },
];

export async function writeSampleProject(session: ProjectSession, engine: FfmpegEngine): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-sample-'));
  try {
    for (const [i, shot] of SHOTS.entries()) {
      const file = path.join(tmp, `sample-shot-${i + 1}.mp4`);
      await engine.run({
        args: [
          '-f', 'lavfi', '-t', String(SECONDS), '-i', shot.source,
          '-f', 'lavfi', '-t', String(SECONDS), '-i', `sine=f=${shot.tone}:sample_rate=48000`,
          '-map', '0:v', '-map', '1:a', '-shortest',
          '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k',
          file,
        ],
        expectedDurationFlicks: SECONDS * 705_600_000,
      });
      const asset = await importOne(session, engine, { filePath: file, name: `sample-shot-${i + 1}.mp4` });
      session.edit('shot.add', { fields: { title: shot.title, prompt: { ...shot.prompt, dialogue: shot.dialogue ?? [] } } });
      const added = orderedShots(session.state).at(-1)!;
      session.edit('take.add', { shotId: added.id, assetId: asset.id });
    }
    session.edit('timeline.assemble', {});
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
