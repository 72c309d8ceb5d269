/**
 * Where a project cannot live is said before anything is made: system pseudo file systems
 * (mkdir -p under /proc used to spin at 100 % CPU), files, FIFOs and devices, relative paths,
 * and a `media` that is a file. Each answer names the path and what to do.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ShotlineError } from '../../../app/errors.js';
import { ProjectStore } from '../../../main/store/project-store.js';
import { DEFAULT_SETTINGS } from '../../../main/services/shotline.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-location-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function refusal(fn: () => unknown): ShotlineError {
  try {
    fn();
  } catch (e) {
    return e as ShotlineError;
  }
  throw new Error('expected a refusal');
}

describe('project locations', () => {
  it('refuses pseudo file systems, files, FIFOs, devices and relative paths before making anything', () => {
    const notes = path.join(tmp, 'notes.txt');
    fs.writeFileSync(notes, 'x');
    const fifo = path.join(tmp, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const cases: [string, string, RegExp][] = [
      ['/proc/self/task/x/film', 'invalid_input', /^\/proc\/self\/task\/x\/film is inside \/proc, a system folder/],
      ['/sys/kernel/film', 'invalid_input', /inside \/sys/],
      ['/dev/zero/film', 'invalid_input', /inside \/dev/],
      [path.join(notes, 'film'), 'invalid_input', /notes\.txt is a file, not a folder, so no project can be made under it/],
      [fifo, 'invalid_input', /pipe is a pipe \(FIFO\), not a folder/],
      ['films/relative', 'invalid_input', /"films\/relative" is a relative path/],
    ];
    for (const [dir, code, message] of cases) {
      const t0 = Date.now();
      const e = refusal(() => ProjectStore.create(dir, DEFAULT_SETTINGS));
      expect(e.code, dir).toBe(code);
      expect(e.message, dir).toMatch(message);
      expect(e.hint, dir).toBeTruthy();
      expect(Date.now() - t0, dir).toBeLessThan(5000);
    }
    expect(fs.readdirSync(tmp).sort()).toEqual(['notes.txt', 'pipe']);
  });

  it('opening a device or a FIFO says what it is, not "is a folder"', () => {
    const fifo = path.join(tmp, 'pipe');
    expect(refusal(() => ProjectStore.open('/dev/zero')).message).toBe('/dev/zero is a device, not a project folder.');
    expect(refusal(() => ProjectStore.open(fifo)).message).toBe(`${fifo} is a pipe (FIFO), not a project folder.`);
  });

  it('a file named media in the folder is named, not reported as "internal EEXIST"', () => {
    const dir = path.join(tmp, 'film');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'media'), 'not a folder');
    const e = refusal(() => ProjectStore.create(dir, DEFAULT_SETTINGS));
    expect(e.code).toBe('project_unreadable');
    expect(e.message).toBe(`${path.join(dir, 'media')} is a file, not a folder; the project keeps its media there.`);
    expect(fs.readdirSync(dir)).toEqual(['media']);
  });
});
