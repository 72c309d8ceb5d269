/**
 * OTIO in: the file is read and planned first (app/interchange/otio-read.ts) and its media
 * located before anything is created, so a bad file costs nothing. Media is relinked by its
 * path (file URL, absolute or relative to the .otio), then by file name inside a folder the
 * user picked (searched up to a few levels deep); what is still missing is reported and its
 * clips left out. Found files are imported like any other (copied into media/), then the
 * tracks and clips are written as the new project's first state.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PatchBuilder } from '../../app/commands/patch.js';
import { ShotlineError } from '../../app/errors.js';
import type { OtioImportResultReport } from '../../app/interchange/formats.js';
import { OtioFormatError, parseOtio, type OtioImportPlan } from '../../app/interchange/otio-read.js';
import { DEFAULT_EFFECTS, type Asset, type Clip } from '../../app/model/types.js';
import { DEFAULT_SPEED } from '../../app/model/timing.js';
import { inferLinks } from '../../app/timeline/links.js';
import type { FfmpegEngine } from '../media/engine.js';
import { importOne } from '../session/import-media.js';
import { newId, type ProjectSession } from '../session/project-session.js';


export interface ResolvedMedia {
  path: string;
  how: 'path' | 'name';
}

const SEARCH_DEPTH = 5;
const SEARCH_LIMIT = 50_000;

export async function readOtioPlan(file: string): Promise<OtioImportPlan> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    throw new ShotlineError('not_found', `Cannot read ${file}: ${(e as Error).message}`, 'Check the path of the .otio file.');
  }
  try {
    return parseOtio(text);
  } catch (e) {
    if (e instanceof OtioFormatError) throw new ShotlineError('invalid_input', `${path.basename(file)}: ${e.message}`, 'Export the timeline from your editor as OpenTimelineIO (.otio) JSON.');
    throw e;
  }
}

/** A media reference's file path: file:// URL, absolute path, or relative to the .otio file. */
export function urlToPath(url: string, otioDir: string): string | null {
  try {
    if (/^file:/i.test(url)) return fileURLToPath(url);
    if (/^[a-z][a-z0-9+.-]+:\/\//i.test(url)) return null; // http(s) and friends: not a local file
    const decoded = decodeURIComponent(url);
    return path.isAbsolute(decoded) ? decoded : path.resolve(otioDir, decoded);
  } catch {
    return null;
  }
}

/** Every file under `dir` by lower-case name (first found wins), a bounded walk. */
async function indexFolder(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let seen = 0;
  const walk = async (d: string, depth: number): Promise<void> => {
    if (depth > SEARCH_DEPTH || seen > SEARCH_LIMIT) return;
    const entries = await fs.promises.readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (++seen > SEARCH_LIMIT) return;
      const p = path.join(d, e.name);
      if (e.isFile() && !out.has(e.name.toLowerCase())) out.set(e.name.toLowerCase(), p);
      else if (e.isDirectory() && !e.name.startsWith('.')) await walk(p, depth + 1);
    }
  };
  await walk(dir, 0);
  return out;
}

export async function resolveMedia(plan: OtioImportPlan, otioDir: string, searchDir?: string): Promise<Map<string, ResolvedMedia | null>> {
  const urls = new Set(plan.tracks.flatMap((t) => t.clips.map((c) => c.targetUrl)).filter((u): u is string => !!u));
  const out = new Map<string, ResolvedMedia | null>();
  let index: Map<string, string> | null = null;
  for (const url of urls) {
    const p = urlToPath(url, otioDir);
    if (p && fs.existsSync(p) && fs.statSync(p).isFile()) {
      out.set(url, { path: p, how: 'path' });
      continue;
    }
    if (searchDir) {
      index ??= await indexFolder(searchDir);
      const base = (p ? path.basename(p) : decodeURIComponent(url.split('/').pop() ?? '')).toLowerCase();
      const hit = index.get(base);
      if (hit) {
        out.set(url, { path: hit, how: 'name' });
        continue;
      }
    }
    out.set(url, null);
  }
  return out;
}

/** Imports the found media and writes the plan's tracks and clips into the (new, empty) project. */
export async function populateFromOtio(session: ProjectSession, engine: FfmpegEngine, plan: OtioImportPlan, media: Map<string, ResolvedMedia | null>): Promise<OtioImportResultReport> {
  const report: OtioImportResultReport = { ...plan.report, dropped: [...plan.report.dropped], relinked: { byPath: 0, byName: [] }, missing: [] };
  const assets = new Map<string, Asset>();
  const names = new Map<string, string>();
  for (const t of plan.tracks) for (const c of t.clips) if (c.targetUrl && !names.has(c.targetUrl)) names.set(c.targetUrl, c.mediaName);
  for (const [url, found] of media) {
    if (!found) {
      report.missing.push(url);
      continue;
    }
    if (found.how === 'path') report.relinked.byPath++;
    else report.relinked.byName.push(`${url} → ${found.path}`);
    try {
      // Named as the editor named it (the file itself may be content-addressed, like Shotline's own media/).
      const name = names.get(url) && path.extname(names.get(url)!) ? names.get(url)! : path.basename(found.path);
      assets.set(url, await importOne(session, engine, { filePath: found.path, name }));
    } catch (e) {
      report.missing.push(url);
      report.dropped.push(`${path.basename(found.path)} could not be imported: ${(e as Error).message}`);
    }
  }
  const b = new PatchBuilder();
  // The new project's default tracks are replaced by the file's.
  for (const id of Object.keys(session.state.tracks)) b.delete('tracks', id);
  const index = { video: 0, audio: 0 };
  let missingClips = 0;
  const placed: Clip[] = [];
  const kinds = new Map<string, 'video' | 'audio'>();
  for (const t of plan.tracks) {
    const trackId = newId('track');
    b.set('tracks', { id: trackId, kind: t.kind, index: index[t.kind]++, name: t.name, muted: false });
    for (const c of t.clips) {
      const asset = c.targetUrl ? assets.get(c.targetUrl) : undefined;
      if (!asset) {
        missingClips++;
        continue;
      }
      if (t.kind === 'video' && asset.kind === 'audio') {
        report.dropped.push(`"${c.name}" is audio on a video track; left out.`);
        continue;
      }
      if (t.kind === 'audio' && !asset.probe.hasAudio) {
        report.dropped.push(`"${c.name}" has no sound but sits on an audio track; left out.`);
        continue;
      }
      const limit = asset.kind === 'image' ? Number.MAX_SAFE_INTEGER : asset.probe.durationFlicks;
      let outFlicks = c.outFlicks;
      if (outFlicks > limit) {
        outFlicks = limit;
        report.dropped.push(`"${c.name}" runs past the end of its media; shortened to fit.`);
      }
      if (outFlicks <= c.inFlicks) {
        report.dropped.push(`"${c.name}" starts after the end of its media; left out.`);
        continue;
      }
      const effects = { ...DEFAULT_EFFECTS, ...(c.volume !== null ? { volume: c.volume } : {}), ...(c.speed ? { speed: { ...DEFAULT_SPEED, rate: c.speed.rate, reverse: c.speed.reverse } } : {}) };
      const clip: Clip = { id: newId('clip'), trackId, assetId: asset.id, startFlicks: c.startFlicks, inFlicks: c.inFlicks, outFlicks, shotId: null, effects };
      placed.push(clip);
      kinds.set(trackId, t.kind);
    }
  }
  // Pictures whose sound the file also places on an audio track are not heard twice (app/timeline/links.ts).
  for (const clip of inferLinks(placed, (id) => kinds.get(id), () => newId('link'))) b.set('clips', clip);
  if (plan.tracks.length === 0) {
    b.set('tracks', { id: newId('track'), kind: 'video', index: 0, name: 'V1', muted: false });
    report.dropped.push('The file has no clips.');
  }
  if (missingClips) report.dropped.push(`${missingClips} clip${missingClips === 1 ? '' : 's'} left out: media not found (${report.missing.length} file${report.missing.length === 1 ? '' : 's'}).`);
  session.systemPatch(b.patch);
  return report;
}
