/**
 * The cameo API methods (app/api/cameos.ts) and the revoke cascade into projects: the open
 * project's takes are marked at once, any other project when it is next opened; export is
 * refused for a timeline that still uses a revoked cameo, with the shots to replace.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CameoRevokeResult } from '../../app/api/cameos.js';
import type { MethodName, MethodParsed, MethodResult } from '../../app/api/contract.js';
import { isOwner } from '../../app/cameos/consent.js';
import { blockerList, exportBlockers, revocationPatch, type ExportBlocker } from '../../app/cameos/marks.js';
import { ShotlineError } from '../../app/errors.js';
import type { RevokeResult } from '../cameos/library.js';
import type { CameoService } from '../cameos/service.js';
import type { EndpointService } from '../endpoints/service.js';
import type { ProjectSession } from '../session/project-session.js';
import { exportBundle, exportRevocation, importBundle, importRevocation } from '../cameos/bundle.js';
import { checkOverwriteConfirmed } from '../export/overwrite-guard.js';

type CameoMethod = Extract<MethodName, `cameos.${string}`>;
type CameoHandlers = { [M in CameoMethod]: (input: MethodParsed<M>) => Promise<MethodResult<M>> };

const MIME: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', wav: 'audio/wav', mp4: 'video/mp4', webm: 'video/webm', mov: 'video/quicktime' };

export interface CameoHost {
  cameos: CameoService;
  endpoints: EndpointService;
  session(): ProjectSession | null;
  /** A studio upload's staged file. */
  resolveUpload?: (uploadId: string) => string | null;
}

function filePath(host: CameoHost, f: { path: string } | { uploadId: string; name: string }): string {
  if ('path' in f) return path.resolve(f.path);
  const staged = host.resolveUpload?.(f.uploadId);
  if (!staged) throw new ShotlineError('not_found', `The upload of "${f.name}" was not found.`, 'Upload the file again.');
  return staged;
}

/** Mark the open project's takes that use revoked cameos (on revoke, and when a project is opened). */
export function markRevokedTakes(cameos: CameoService, session: ProjectSession | null): number {
  if (!session) return 0;
  const patch = revocationPatch(session.state, cameos.lib.rows.revokedIds());
  if (!patch) return 0;
  session.systemPatch(patch);
  return Object.keys(patch.takes ?? {}).length;
}

/**
 * The export gate: the timeline's clips that use revoked cameos, less those an accepted override
 * covers. An override is accepted only from the cameo's owner for their own likeness, and logged.
 */
export async function checkExportCameos(cameos: CameoService, session: ProjectSession, override?: { cameoIds: string[]; reason: string }): Promise<string[]> {
  const blockers = exportBlockers(session.state, cameos.lib.rows.revokedIds());
  if (!blockers.length) return [];
  const user = await cameos.user();
  const accepted: string[] = [];
  for (const id of override?.cameoIds ?? []) {
    const c = cameos.lib.rows.get(id);
    if (!c || !blockers.some((b) => b.cameoIds.includes(id))) continue;
    if (!isOwner(c, user) || !c.consent.self)
      throw new ShotlineError('consent_refused', `Only the owner of @${c.handle} may export it after revoking it, and only when it is their own likeness.`, 'Replace the takes that use it.');
    cameos.logUse(c, 'likeness', { project: { dir: session.dir, name: session.state.settings.name }, endpoint: 'export', purpose: 'export-override', shotTitle: override!.reason });
    accepted.push(id);
  }
  const left = blockers.filter((b) => !b.cameoIds.every((id) => accepted.includes(id)));
  if (left.length) throw refusal(left, cameos);
  return accepted;
}

function refusal(left: ExportBlocker[], cameos: CameoService): ShotlineError {
  const handles = [...new Set(left.flatMap((b) => b.cameoIds))].map((id) => `@${cameos.lib.rows.get(id)?.handle ?? id}`);
  return new ShotlineError(
    'consent_refused',
    `The timeline uses ${handles.join(', ')}, revoked since: replace ${left.length === 1 ? 'the take in' : 'the takes in'} ${blockerList(left)} before exporting.`,
    'Pick or generate another take for each of these shots (the clips are marked on the timeline).',
  );
}

function revokeResult(host: CameoHost, r: RevokeResult, marked: number): CameoRevokeResult {
  return {
    cameo: host.cameos.lib.summary(r.cameo.id),
    deletedFiles: r.deletedFiles,
    markedTakes: marked,
    remoteCopies: r.remoteCopies.map((c) => ({
      endpointName: host.endpoints.rows.get(c.endpointId)?.name ?? c.endpointId,
      characterId: c.characterId,
      note: 'A /v1/videos character has no delete in the protocol: ask the server operator to remove it.',
    })),
    remoteFiles: comfyCopies(host, r.cameo.id),
  };
}

/**
 * ComfyUI servers that were sent this cameo's still or voice sample. ComfyUI has no route that
 * deletes an uploaded input, so the user is told where the copies are and their names: from the
 * record each upload left (by endpoint id, so a renamed or removed endpoint is still named),
 * and for takes queued before uploads were recorded, from the use log (a ComfyUI backend's label
 * is "<endpoint name> (ComfyUI: <workflow>)"); a later use with no upload sent nothing.
 */
function comfyCopies(host: CameoHost, cameoId: string): CameoRevokeResult['remoteFiles'] {
  const byEndpoint = new Map<string, { endpointName: string; baseUrl: string; files: string[] }>();
  for (const f of host.cameos.lib.rows.remoteFilesOf(cameoId)) {
    const now = host.endpoints.rows.get(f.endpointId);
    const e = byEndpoint.get(f.endpointId) ?? { endpointName: now?.name ?? f.endpointName, baseUrl: now?.baseUrl ?? f.baseUrl, files: [] };
    if (!e.files.includes(f.file)) e.files.push(f.file);
    byEndpoint.set(f.endpointId, e);
  }
  const recorded = [...byEndpoint.values()].map((e) => ({
    ...e,
    note: "ComfyUI has no route to delete uploaded inputs: ask the server's operator to remove these files from its input folder.",
  }));
  const since = host.cameos.lib.rows.remoteFilesRecordedSince();
  const uses = host.cameos.lib.rows.uses(cameoId).filter((u) => u.purpose === 'generate' && u.at < since);
  const older = host.endpoints.rows
    .list()
    .filter((row) => row.kind === 'comfyui' && !byEndpoint.has(row.id) && uses.some((u) => u.endpoint.startsWith(`${row.name} (ComfyUI`)))
    .map((row) => ({
      endpointName: row.name,
      baseUrl: row.baseUrl,
      files: [],
      note: "ComfyUI has no route to delete uploaded inputs: remove the shotline-… files this cameo's takes uploaded from that server's input folder.",
    }));
  return [...recorded, ...older];
}

export function cameoHandlers(host: CameoHost): CameoHandlers {
  const { cameos } = host;
  return {
    'cameos.list': async () => cameos.lib.list(),
    'cameos.get': async ({ id }) => ({
      cameo: cameos.lib.summary(id),
      uses: cameos.uses(id),
      remote: cameos.lib.rows.charactersOf(id).map((c) => ({ endpointId: c.endpointId, endpointName: host.endpoints.rows.get(c.endpointId)?.name ?? c.endpointId, characterId: c.characterId })),
    }),
    'cameos.create': async ({ sources, ...rest }) => {
      const c = await cameos.create({
        ...rest,
        sources: {
          ...(sources.video ? { video: filePath(host, sources.video) } : {}),
          ...(sources.stills ? { stills: sources.stills.map((s) => filePath(host, s)) } : {}),
          ...(sources.audio ? { audio: filePath(host, sources.audio) } : {}),
          ...(sources.stillTimes ? { stillTimes: sources.stillTimes } : {}),
        },
      });
      return cameos.lib.summary(c.id);
    },
    'cameos.update': async ({ id, ...fields }) => {
      cameos.lib.update(id, fields);
      return cameos.lib.summary(id);
    },
    'cameos.revoke': async ({ id, reason }) => {
      const r = cameos.revoke(id, reason ?? null);
      return revokeResult(host, r, markRevokedTakes(cameos, host.session()));
    },
    'cameos.media': async ({ id, role, index }) => {
      const c = cameos.lib.require(id);
      const m = c.media.filter((x) => x.role === role)[index];
      if (!m) throw new ShotlineError('not_found', c.state === 'revoked' ? `@${c.handle} was revoked; its media were deleted.` : `@${c.handle} has no ${role} ${index + 1}.`);
      const p = cameos.lib.mediaPath(m);
      const st = await fs.promises.stat(p);
      if (st.size > 16 * 1024 * 1024) throw new ShotlineError('unsupported', `The ${role} of @${c.handle} is too large to show here (${(st.size / 1024 / 1024).toFixed(0)} MB).`);
      const mime = MIME[m.ext] ?? 'application/octet-stream';
      return { mime, dataUrl: `data:${mime};base64,${(await fs.promises.readFile(p)).toString('base64')}` };
    },
    'cameos.user': async () => cameos.user(),
    'cameos.setUser': async ({ name }) => {
      cameos.setUserName(name);
      return cameos.user();
    },
    // Replacing a file that is not a Shotline export needs the user's confirmation (main/export/overwrite-guard.ts).
    'cameos.exportBundle': async ({ id, outPath, overwrite, confirmOverwrite }) => {
      await checkOverwriteConfirmed(path.resolve(outPath), overwrite, confirmOverwrite);
      return exportBundle(cameos, id, path.resolve(outPath), overwrite);
    },
    'cameos.importBundle': async ({ file }) => cameos.lib.summary((await importBundle(cameos, filePath(host, file))).id),
    'cameos.exportRevocation': async ({ id, outPath, overwrite, confirmOverwrite }) => {
      await checkOverwriteConfirmed(path.resolve(outPath), overwrite, confirmOverwrite);
      return exportRevocation(cameos, id, path.resolve(outPath), overwrite);
    },
    'cameos.importRevocation': async ({ file }) => {
      const r = await importRevocation(cameos, filePath(host, file));
      return revokeResult(host, r, markRevokedTakes(cameos, host.session()));
    },
  };
}
