import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { orderedShots, timelineDuration } from '../../../app/timeline/query.js';
import { ProjectStore } from '../../../main/store/project-store.js';
import { substitute } from '../../../main/cli/script.js';
import { ffprobeJson, makeTestVideo } from '../../helpers/media-fixtures.js';
import { ROOT } from '../../helpers/studio-process.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function shotline(...args: string[]) {
  return spawnSync(process.execPath, [path.join(ROOT, 'bin/shotline.mjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, SHOTLINE_HOME: path.join(tmp, 'home') },
    timeout: 120_000,
  });
}

describe('shotline CLI', () => {
  it('substitutes ${refs} keeping types for whole-string references', () => {
    const vars = { a: { id: 'x1', n: 3 } };
    expect(substitute({ id: '${a.id}', n: '${a.n}', s: 'clip-${a.n}' }, vars)).toEqual({ id: 'x1', n: 3, s: 'clip-3' });
    expect(() => substitute('${a.missing}', vars)).toThrow(/not defined/);
  });

  it('run applies a script of API calls with saved results, validated like the bridge', async () => {
    const clip = await makeTestVideo({ path: path.join(tmp, 'take.mp4'), seconds: 2, withAudio: true });
    const project = path.join(tmp, 'scripted');
    const script = path.join(tmp, 'script.json');
    fs.writeFileSync(
      script,
      JSON.stringify([
        { method: 'assets.import', input: { files: [{ path: clip }] }, as: 'imp' },
        { method: 'edit.apply', input: { command: 'shot.add', args: { fields: { title: 'Scripted' } } }, as: 'added' },
        { method: 'project.snapshot', as: 'snap' },
        { method: 'edit.apply', input: { command: 'timeline.assemble', args: {} } },
      ]),
    );
    // Assemble needs a take: the third step has no take yet, so the script must fail at step 4 with its reason.
    const failed = shotline('run', project, script);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/Step 4 \(edit\.apply\) failed: No shot has a chosen take/);

    const store0 = ProjectStore.open(project);
    const shotId = orderedShots(store0.loadState())[0]!.id;
    const assetId = Object.keys(store0.loadState().assets)[0]!;
    store0.close();
    fs.writeFileSync(
      script,
      JSON.stringify([
        { method: 'assets.import', input: { files: [{ path: clip }] }, as: 'imp' },
        { method: 'edit.apply', input: { command: 'take.add', args: { shotId, assetId: '${imp.imported.0.id}' } } },
        { method: 'edit.apply', input: { command: 'timeline.assemble', args: {} } },
      ]),
    );
    const ok = shotline('run', project, script);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/3\. edit\.apply: ok/);
    const store = ProjectStore.open(project);
    const state = store.loadState();
    expect(Object.values(state.takes).map((t) => t.assetId)).toEqual([assetId]);
    expect(timelineDuration(state)).toBe(state.assets[assetId]!.probe.durationFlicks);
    store.close();
  });

  it('rejects a malformed script and an invalid call with exit code 2 and a pointed message', () => {
    const project = path.join(tmp, 'bad');
    const script = path.join(tmp, 'bad.json');
    fs.writeFileSync(script, '{"not": "an array"}');
    const r = shotline('run', project, script);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not a Shotline script/);
    fs.writeFileSync(script, JSON.stringify([{ method: 'edit.apply', input: { command: 'shot.add', args: { fields: { aspect: '4:3' } } } }]));
    const r2 = shotline('run', project, script);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/aspect/);
  });

  it('export writes the MP4 headlessly with progress, and fails clearly on bad input', async () => {
    const project = path.join(tmp, 'scripted');
    const out = path.join(tmp, 'cli-out.mp4');
    const r = shotline('export', project, '--preset', '720p-draft', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Exporting 100%/);
    const probe = await ffprobeJson(out);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });

    const again = shotline('export', project, '--preset', '720p-draft', '--out', out);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    const bad = shotline('export', project, '--preset', 'imax', '--out', out);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Unknown export preset "imax"/);
    const missing = shotline('export', path.join(tmp, 'nope'), '--out', out);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/does not exist|not a Shotline project/);
  });

  it('doctor reports the engines it found', () => {
    const r = shotline('doctor');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ffmpeg \(native\): \d+\.\d+.* at \//);
    expect(r.stdout).toMatch(/ffmpeg \(wasm fallback\): available/);
    expect(r.stdout).toMatch(/Export engine in use: native/);
  });

  it('prints usage, and an unknown command exits 2', () => {
    expect(shotline('--help').stdout).toMatch(/Usage: shotline/);
    expect(shotline('frobnicate').status).toBe(2);
  });
});
