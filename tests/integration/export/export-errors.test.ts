/**
 * Error mapping, progress and stale-partial cleanup, with a scripted engine standing in
 * for ffmpeg (real files, no encoding) so each failure is reproducible on demand.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ShotlineError } from '../../../app/errors.js';
import type { ProjectState } from '../../../app/model/types.js';
import { FLICKS_PER_SECOND } from '../../../app/time/flicks.js';
import { discardPartial, reservePartial } from '../../../main/export/partials.js';
import { cleanStalePartials, runExport, type ExportProgress, type RunExportOptions } from '../../../main/export/run-export.js';
import type { FfmpegEngine, FfmpegRunOptions } from '../../../main/media/engine.js';
import { makeTempDir } from '../../helpers/media-fixtures.js';
import { startOf } from '../../helpers/proc-start.js';
import { videoAsset } from '../../helpers/state.js';
import { clip, partialsIn, project } from './helpers.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let state: ProjectState;

beforeEach(async () => {
  tmp = await makeTempDir('shotline-export-errors-');
  fs.mkdirSync(path.join(tmp.dir, 'media'));
  fs.writeFileSync(path.join(tmp.dir, 'media/a.mp4'), 'stand-in media: the scripted engine never reads it');
  state = project('Scripted', [videoAsset('a', 5)], [clip('c1', 'v1', 'a', 0, 0, 2)]);
});

afterEach(async () => {
  await tmp.cleanup();
});

/** An engine that writes `bytes` to the output, reports `fractions`, then does `end`. */
function scripted(script: { bytes?: string; fractions?: number[]; end?: (args: string[]) => Error | null }): FfmpegEngine & { calls: FfmpegRunOptions[] } {
  const calls: FfmpegRunOptions[] = [];
  return {
    kind: 'native',
    version: 'scripted',
    path: '/bin/false',
    hasFilter: () => true,
    calls,
    async run(opts) {
      calls.push(opts);
      const out = opts.args[opts.args.length - 1]!;
      fs.writeFileSync(out, script.bytes ?? 'encoded bytes');
      for (const f of script.fractions ?? []) {
        opts.onProgress?.({ fraction: f, outTimeFlicks: f * opts.expectedDurationFlicks!, speed: 2, etaSeconds: 1 - f });
      }
      const err = script.end?.(opts.args) ?? null;
      if (err) throw err;
    },
  };
}

function opts(engine: FfmpegEngine, over: Partial<RunExportOptions> = {}): RunExportOptions {
  return { state, projectDir: tmp.dir, engine, presetId: '1080p', fit: 'fill', outPath: path.join(tmp.dir, 'film.mp4'), overwrite: false, ...over };
}

async function failure(p: Promise<unknown>): Promise<ShotlineError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ShotlineError);
    return e as ShotlineError;
  }
  throw new Error('expected the export to fail');
}

describe('runExport with a scripted engine', () => {
  it('passes the plan args, writes to a hidden temp in the target folder, then renames it into place', async () => {
    const engine = scripted({ bytes: 'movie' });
    const res = await runExport(opts(engine));
    const args = engine.calls[0]!.args;
    const temp = args[args.length - 1]!;
    expect(path.dirname(temp)).toBe(tmp.dir);
    expect(path.basename(temp)).toMatch(new RegExp(`^\\.film\\.shotline-partial-${process.pid}s${startOf(process.pid)}-[0-9a-f]+\\.mp4$`));
    // Native ffmpeg reads the graph from a script file (no argument-size limit).
    expect(args).toContain('-filter_complex_script');
    expect(args[args.indexOf('-i') + 1]).toBe(path.join(tmp.dir, 'media/a.mp4'));
    expect(engine.calls[0]!.expectedDurationFlicks).toBe(2 * FLICKS_PER_SECOND);
    expect(res).toEqual({ outPath: path.join(tmp.dir, 'film.mp4'), durationFlicks: 2 * FLICKS_PER_SECOND, bytes: 5 });
    expect(fs.readFileSync(res.outPath, 'utf8')).toBe('movie');
    expect(partialsIn(tmp.dir)).toEqual([]);
  });

  it('reports progress monotonically with ETA and messages, reaching 1 only when the file is in place', async () => {
    const seen: ExportProgress[] = [];
    const out = path.join(tmp.dir, 'film.mp4');
    const engine = scripted({ fractions: [0.25, 0.5, 0.4, 1] });
    await runExport(
      opts(engine, {
        onProgress: (p) => {
          seen.push(p);
          if (p.fraction === 1) expect(fs.existsSync(out)).toBe(true);
          else expect(fs.existsSync(out)).toBe(false);
        },
      }),
    );
    expect(seen.map((p) => p.fraction)).toEqual([0, 0.2475, 0.495, 0.495, 0.99, 0.99, 1]);
    expect(seen[1]).toMatchObject({ etaSeconds: 0.8, message: 'Encoding 25%' });
    expect(seen.at(-1)!.message).toBe('Export finished');
  });

  it('maps "No space left on device" from ffmpeg to disk_full naming the folder, and deletes the temp', async () => {
    const engine = scripted({ end: () => new ShotlineError('ffmpeg_failed', 'ffmpeg failed (exit code 1)\nav_interleaved_write_frame(): No space left on device') });
    const err = await failure(runExport(opts(engine)));
    expect(err.code).toBe('disk_full');
    expect(err.message).toContain(tmp.dir);
    expect(err.hint).toMatch(/free some disk space/i);
    expect(partialsIn(tmp.dir)).toEqual([]);
    expect(fs.existsSync(path.join(tmp.dir, 'film.mp4'))).toBe(false);
  });

  it('maps the engine’s disk_full and a raw ENOSPC the same way', async () => {
    for (const e of [new ShotlineError('disk_full', 'The disk is full: ffmpeg could not finish writing ".x.shotline-partial"'), Object.assign(new Error('write failed'), { code: 'ENOSPC' })]) {
      const err = await failure(runExport(opts(scripted({ end: () => e }))));
      expect(err.code).toBe('disk_full');
      expect(err.message).not.toContain('shotline-partial');
      expect(partialsIn(tmp.dir)).toEqual([]);
    }
  });

  it('treats an empty output as a failure', async () => {
    const err = await failure(runExport(opts(scripted({ bytes: '' }))));
    expect(err.code).toBe('ffmpeg_failed');
    expect(partialsIn(tmp.dir)).toEqual([]);
  });

  it('reports canceled when aborted after ffmpeg finished but before the rename', async () => {
    const ac = new AbortController();
    const engine = scripted({ end: () => (ac.abort(), null) });
    const err = await failure(runExport(opts(engine, { signal: ac.signal })));
    expect(err.code).toBe('canceled');
    expect(fs.existsSync(path.join(tmp.dir, 'film.mp4'))).toBe(false);
    expect(partialsIn(tmp.dir)).toEqual([]);
  });

  it('does not replace a file that appeared at the target during the export', async () => {
    const out = path.join(tmp.dir, 'film.mp4');
    const engine = scripted({ end: () => (fs.writeFileSync(out, 'arrived meanwhile'), null) });
    const err = await failure(runExport(opts(engine)));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain('already exists');
    expect(fs.readFileSync(out, 'utf8')).toBe('arrived meanwhile');
    expect(partialsIn(tmp.dir)).toEqual([]);
  });

  it('refuses to export over a media file the timeline reads', async () => {
    const engine = scripted({});
    const source = path.join(tmp.dir, 'media/a.mp4');
    const err = await failure(runExport(opts(engine, { outPath: source, overwrite: true })));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain('would overwrite the media of "a.mp4"');
    expect(engine.calls).toHaveLength(0);
    expect(fs.readFileSync(source, 'utf8')).toContain('stand-in media');
  });

  it('passes other engine errors through and still cleans up', async () => {
    const err = await failure(runExport(opts(scripted({ end: () => new ShotlineError('ffmpeg_failed', 'ffmpeg failed (exit code 1): bad filter') }))));
    expect(err).toMatchObject({ code: 'ffmpeg_failed', message: 'ffmpeg failed (exit code 1): bad filter' });
    expect(partialsIn(tmp.dir)).toEqual([]);
  });
});

describe('cleanStalePartials', () => {
  it('deletes partials of dead processes and of an earlier process with our pid, keeps live ones and other files', async () => {
    const dir = tmp.dir;
    const deadPid = 99_999_999; // above any pid_max: never a live process
    const names = {
      dead: `.film.shotline-partial-${deadPid}-abc123.mp4`,
      reusedPid: `.film.shotline-partial-${process.pid}-def456.mp4`,
      liveOther: `.film.shotline-partial-1-0a0b0c.mp4`, // pid 1 always exists
      liveOtherTagged: `.film.shotline-partial-1s${startOf(1)}-1a1b1c.mp4`,
      recycledPid: `.film.shotline-partial-1s${startOf(1) + 1}-2a2b2c.mp4`, // pid 1, but not the process that started then
      unrelated: 'film.mp4',
      lookalike: '.film.shotline-partial-notes.txt',
    };
    for (const n of Object.values(names)) fs.writeFileSync(path.join(dir, n), 'x');
    const mine = await reservePartial(path.join(dir, 'other.mp4'));
    try {
      const removed = await cleanStalePartials(dir);
      expect(removed.map((p) => path.basename(p)).sort()).toEqual([names.dead, names.reusedPid, names.recycledPid].sort());
      const left = fs.readdirSync(dir);
      for (const n of [names.liveOther, names.liveOtherTagged, names.unrelated, names.lookalike, path.basename(mine)]) expect(left).toContain(n);
    } finally {
      await discardPartial(mine);
    }
    expect(fs.existsSync(mine)).toBe(false);
  });

  it('honours minAgeMs and tolerates a missing folder', async () => {
    const p = path.join(tmp.dir, '.film.shotline-partial-99999999-aa.mp4');
    fs.writeFileSync(p, 'x');
    expect(await cleanStalePartials(tmp.dir, { minAgeMs: 60_000 })).toEqual([]);
    const old = new Date(Date.now() - 120_000);
    fs.utimesSync(p, old, old);
    expect(await cleanStalePartials(tmp.dir, { minAgeMs: 60_000 })).toEqual([p]);
    expect(await cleanStalePartials(path.join(tmp.dir, 'nope'))).toEqual([]);
  });
});
