/** A generate job's media inputs (asset ids in the payload) resolved to files in the project folder. */
import fs from 'node:fs';
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import type { GeneratePayload } from '../../app/generation/jobs.js';
import type { RemoteOrigin, ResolvedInputs } from '../../app/generation/types.js';
import type { ProjectState } from '../../app/model/types.js';
import { flicksToSeconds } from '../../app/time/flicks.js';

/** Where the cameo library keeps a media file (main/cameos/library.ts), for a cameo's still. */
export type CameoFile = (m: { sha256: string; ext: string }) => string;

export function resolveInputs(state: ProjectState, projectDir: string, p: GeneratePayload, cameoFile?: CameoFile): ResolvedInputs {
  const file = (assetId: string, role: string) => {
    const a = state.assets[assetId];
    if (!a) throw new ShotlineError('not_found', `The ${role} of this take is no longer in the project.`, 'Pick another one and generate again.');
    const abs = path.join(projectDir, a.path);
    if (!fs.existsSync(abs)) throw new ShotlineError('not_found', `The ${role} "${a.name}" is missing from the project's media folder.`);
    return { path: abs, sha256: a.sha256, name: a.name };
  };
  const out: ResolvedInputs = {};
  if (p.inputs.reference) out.referenceImage = { ...file(p.inputs.reference.assetId, 'reference'), lastFrameOfVideo: p.inputs.reference.lastFrame };
  // A cameo's still or voice sample lives in the cameo library, not the project: gone once revoked.
  const cameoInput = (ref: { cameoId: string; sha256: string; ext: string }, what: 'still' | 'voice sample', label: string) => {
    const abs = cameoFile?.(ref) ?? '';
    if (!abs || !fs.existsSync(abs)) throw new ShotlineError('not_found', `The cameo's ${what} is no longer in the cameo library (it was revoked or removed).`, 'Remove the cameo from the shot and generate again.');
    const handle = p.cameos?.find((c) => c.cameoId === ref.cameoId)?.handle;
    return { path: abs, sha256: ref.sha256, name: `cameo @${handle ?? ref.cameoId} ${label}` };
  };
  if (p.inputs.cameoReference) out.referenceImage = cameoInput(p.inputs.cameoReference, 'still', 'still');
  if (p.inputs.cameoVoice) out.voiceSample = cameoInput(p.inputs.cameoVoice, 'voice sample', 'voice');
  if (p.inputs.remixSource) {
    const src = state.assets[p.inputs.remixSource.assetId];
    const remote = src?.provenance.source === 'generated' ? (src.provenance.parameters.remote as RemoteOrigin | undefined) : undefined;
    out.remixSource = {
      ...file(p.inputs.remixSource.assetId, 'remix source'),
      durationSeconds: src ? flicksToSeconds(src.probe.durationFlicks) : undefined,
      ...(remote?.endpointId && remote.videoId ? { remote: { endpointId: remote.endpointId, endpointName: remote.endpointName, videoId: remote.videoId } } : {}),
    };
  }
  return out;
}
