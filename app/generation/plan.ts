/**
 * Planning `generation.start`: a shot (structured prompt, reference, continuity, seed) and the
 * chosen backend's capabilities become one validated job payload per take. Pure: the caller
 * supplies the state, the existing generate jobs' payloads and a random seed source, and
 * queues the result. Every take is validated before anything is queued, so a bad request
 * queues nothing.
 */
import type { PayloadCameo } from '../cameos/delivery.js';
import { composeCameoPrompt } from '../cameos/prompt.js';
import { ShotlineError } from '../errors.js';
import { composePrompt } from '../model/prompt.js';
import type { Asset, ProjectState, Shot } from '../model/types.js';
import { flicksToSeconds } from '../time/flicks.js';
import { orderedShots } from '../timeline/query.js';
import type { GenerationStartParsed } from './api.js';
import type { GeneratePayload } from './jobs.js';
import { assertValidRequest, nearestDuration, requestHash, supportsDuration, type GenerationRequest } from './request.js';
import { findCachedAsset, inputHashes, nextTakeNumber, pickSize } from './takes.js';
import type { BackendModelInfo, GenerationCapabilities, GenerationTask } from './types.js';

/** The part of a backend planning needs. */
export interface PlanBackend {
  id: string;
  model: Pick<BackendModelInfo, 'name' | 'version'>;
  capabilities: GenerationCapabilities;
}

export interface PlannedTake {
  payload: GeneratePayload;
  /** The asset an identical earlier request produced (the take is added at once). */
  cached: Asset | null;
}

export function planTakes(
  state: ProjectState,
  input: GenerationStartParsed,
  backend: PlanBackend,
  jobPayloads: readonly unknown[],
  randomSeed: () => number,
  /** The shot's cameos as the backend receives them (main checked consent and chose the delivery). */
  cameos: readonly PayloadCameo[] = [],
): PlannedTake[] {
  const shot = state.shots[input.shotId];
  if (!shot) throw new ShotlineError('not_found', 'That shot is no longer in the project.');
  const caps = backend.capabilities;
  if (input.takes > caps.maxTakes) throw new ShotlineError('invalid_input', `This backend makes at most ${caps.maxTakes} takes at a time; ask for ${caps.maxTakes} or fewer.`);

  let task: GenerationTask = 'text-to-video';
  let promptFields = shot.prompt;
  let remixOf: string | null = null;
  const inputs: GeneratePayload['inputs'] = {};
  let strength: number | undefined;
  let remixMode: 'remix' | 'extend' | 'edit' = 'remix';
  if (input.remix) {
    const take = state.takes[input.remix.takeId];
    if (!take) throw new ShotlineError('not_found', 'The take to remix is no longer in the project.');
    const src = state.assets[take.assetId];
    if (!src) throw new ShotlineError('not_found', `The media of ${take.label} is missing from the project.`);
    if (src.kind !== 'video') throw new ShotlineError('invalid_input', `${take.label} is not a video, so it cannot be remixed.`);
    const mode = input.remix.mode ?? 'remix';
    if (mode !== 'remix' && !caps.operations?.includes(mode))
      throw new ShotlineError('unsupported', mode === 'extend' ? 'This backend cannot continue a take (extend).' : 'This backend cannot edit a take from a prompt.', 'Choose an endpoint that offers it (Preferences → Endpoints shows what each one can do).');
    if (mode === 'extend' && input.remix.seconds === undefined) throw new ShotlineError('invalid_input', 'Say how many seconds (4 to 20) the extension should add.');
    remixMode = mode;
    task = 'video-to-video';
    remixOf = take.id;
    strength = input.remix.strength;
    inputs.remixSource = { assetId: src.id, sha256: src.sha256 };
    promptFields = { ...shot.prompt, ...input.remix.prompt };
  } else {
    const reference = pickReference(state, shot, input);
    if (reference) {
      inputs.reference = reference;
      task = 'image-to-video';
    }
    const still = cameos.find((c) => c.delivery === 'reference-image')?.still;
    if (still) {
      if (reference) throw new ShotlineError('unsupported', "This shot already has a first frame, so a cameo's still cannot be it too.", "Clear the shot's reference image (or turn continuity off), or use an endpoint that offers characters.");
      inputs.cameoReference = { cameoId: cameos.find((c) => c.delivery === 'reference-image')!.cameoId, sha256: still.sha256, ext: still.ext };
      task = 'image-to-video';
    }
    // A cameo's voice sample, for a backend with a voice input (main checked the voice consent).
    const voiced = cameos.find((c) => c.voice);
    if (voiced?.voice) inputs.cameoVoice = { cameoId: voiced.cameoId, sha256: voiced.voice.sha256, ext: voiced.voice.ext };
    // A workflow driven by a voice (its mapping has a voice input) has nothing to speak with otherwise.
    else if (caps.voiceInput)
      throw new ShotlineError('invalid_input', "This backend's workflow makes a clip from a voice sample, and this shot has no cameo with a voice.", "Add a cameo whose consent covers the voice (@handle in the prompt), or choose a workflow without a voice input.");
  }
  // The shot's Audio field (and its dialogue) goes to backends that make sound.
  const prompt = composeCameoPrompt(composePrompt(promptFields, { sound: caps.audio }), cameos);
  const shotSeconds = flicksToSeconds(shot.durationFlicks);
  const durationSeconds = input.durationSeconds ?? (supportsDuration(caps, shotSeconds) ? shotSeconds : nearestDuration(caps, shotSeconds));
  const size = pickSize(caps, shot.aspect);
  const baseSeed = input.seed === undefined ? shot.seed : input.seed;

  const planned: PlannedTake[] = [];
  let next = nextTakeNumber(state, shot.id, jobPayloads);
  for (let k = 0; k < input.takes; k++) {
    const seed = baseSeed === null ? randomSeed() : (baseSeed + k) >>> 0;
    const raw: GenerationRequest = {
      task,
      prompt,
      seed,
      ...(input.steps !== undefined ? { steps: input.steps } : {}),
      ...(input.guidance !== undefined ? { guidance: input.guidance } : {}),
      durationSeconds,
      size,
      ...(inputs.reference ? { referenceImage: { assetId: inputs.reference.assetId } } : {}),
      ...(inputs.cameoReference ? { referenceImage: { path: `cameo-media/${inputs.cameoReference.sha256}.${inputs.cameoReference.ext}` } } : {}),
      ...(inputs.remixSource && strength !== undefined
        ? { remix: { source: { assetId: inputs.remixSource.assetId }, strength, ...(remixMode !== 'remix' ? { mode: remixMode } : {}), ...(remixMode === 'extend' ? { extendSeconds: input.remix!.seconds } : {}) } }
        : {}),
      model: backend.model.name,
    };
    const request = assertValidRequest(caps, raw);
    // A character is part of what the server is asked for: the same prompt with another cameo is another clip.
    const hashes = { ...inputHashes(inputs), ...Object.fromEntries(cameos.map((c) => [`cameo:${c.cameoId}`, `${c.delivery}:${c.consentRecordId}:${c.still?.sha256 ?? c.source?.sha256 ?? ''}${c.voice ? `:voice:${c.voice.sha256}` : ''}`])) };
    const hash = requestHash(request, hashes, { backend: backend.id, model: backend.model.name, modelVersion: backend.model.version });
    const payload: GeneratePayload = {
      v: 1,
      shotId: shot.id,
      label: `Take ${next++}`,
      remixOf,
      backendId: backend.id,
      model: backend.model.name,
      modelVersion: backend.model.version,
      request,
      inputs,
      requestHash: hash,
      ...(cameos.length ? { cameos: [...cameos] } : {}),
    };
    planned.push({ payload, cached: findCachedAsset(state, hash) });
  }
  return planned;
}

/** The still that conditions image-to-video: the previous shot's last frame (continuity) or the shot's reference. */
function pickReference(state: ProjectState, shot: Shot, input: GenerationStartParsed): GeneratePayload['inputs']['reference'] | undefined {
  const wantContinue = input.continueFromPrevious ?? shot.continuity;
  if (wantContinue) {
    const ordered = orderedShots(state);
    const prev = ordered[ordered.findIndex((s) => s.id === shot.id) - 1];
    const prevTake = prev?.chosenTakeId ? state.takes[prev.chosenTakeId] : undefined;
    const prevAsset = prevTake ? state.assets[prevTake.assetId] : undefined;
    if (prevAsset && prevAsset.kind === 'video') return { assetId: prevAsset.id, sha256: prevAsset.sha256, lastFrame: true };
    if (input.continueFromPrevious === true)
      throw new ShotlineError(
        'invalid_input',
        !prev ? 'This is the first shot, so there is no previous shot to continue from.' : `The previous shot ("${prev.title}") has no chosen video take to continue from.`,
        'Generate and pick a take for the previous shot first, or turn continuity off.',
      );
  }
  const wantRef = input.useReference ?? shot.referenceAssetId !== null;
  if (!wantRef) return undefined;
  if (!shot.referenceAssetId) throw new ShotlineError('invalid_input', 'This shot has no reference image.', 'Pick a reference image for the shot, or generate from the prompt alone.');
  const a = state.assets[shot.referenceAssetId];
  if (!a) throw new ShotlineError('not_found', "The shot's reference image is no longer in the project.");
  if (a.kind !== 'image')
    throw new ShotlineError('invalid_input', `The reference "${a.name}" is ${a.kind === 'audio' ? 'a sound' : 'a video'}, not a still image.`, 'Choose a still image as the reference (or remix a video take instead).');
  return { assetId: a.id, sha256: a.sha256, lastFrame: false };
}

/** The seconds a paid endpoint bills for a request: the extension's length for "continue this take", else the clip's. */
export function billedSeconds(request: Pick<GenerationRequest, 'durationSeconds' | 'remix'>): number {
  return request.remix?.mode === 'extend' && request.remix.extendSeconds !== undefined ? request.remix.extendSeconds : request.durationSeconds;
}
