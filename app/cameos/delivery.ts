/**
 * How each cameo in a shot reaches the chosen backend, decided from what the backend can take
 * (its capabilities), before anything is queued: a server-side character, the reference still
 * as the image-to-video first frame (one picture per request), or — where the backend can use
 * neither — a refusal that names the cameo and says what would work. Never a silent drop.
 */
import { ShotlineError } from '../errors.js';
import type { CameoDelivery } from './prompt.js';
import type { CameoPart } from './types.js';

export interface CameoAbility {
  /** The backend's name, for messages. */
  label: string;
  /** Takes a cameo as a server-side character (`POST /v1/videos/characters`). */
  characters: boolean;
  /** Takes a still as the first frame / input reference (image-to-video). */
  referenceImage: boolean;
  /** Takes a voice sample (a ComfyUI workflow with a mapped audio input). */
  voice: boolean;
}

export interface DeliveryCameo {
  id: string;
  handle: string;
  hasStill: boolean;
  hasVoice: boolean;
}

export interface CameoDeliveryPlan {
  cameoId: string;
  delivery: Exclude<CameoDelivery, 'none'>;
  /** The parts the backend receives (and that are checked against the consent). */
  parts: CameoPart[];
}

/**
 * One plan per cameo, or a ShotlineError that says why the shot cannot take them.
 * `otherReference`: the shot already conditions on a picture (its reference image, continuity).
 */
export function planCameoDelivery(cameos: readonly DeliveryCameo[], ability: CameoAbility, otherReference: string | null): CameoDeliveryPlan[] {
  if (!cameos.length) return [];
  const names = cameos.map((c) => `@${c.handle}`).join(', ');
  if (ability.characters) return cameos.map((c) => ({ cameoId: c.id, delivery: 'character', parts: partsWith(['likeness'], c, ability) }));
  if (!ability.referenceImage)
    throw new ShotlineError(
      'unsupported',
      `"${ability.label}" cannot use a cameo (${names}): it takes neither characters nor a reference image.`,
      'Choose a backend that does image-to-video (the local pack) or an endpoint that offers characters, or remove the cameo from the shot.',
    );
  if (cameos.length > 1)
    throw new ShotlineError(
      'unsupported',
      `"${ability.label}" takes one reference image per shot, so it cannot show ${names} together.`,
      'Keep one cameo in this shot, or use an endpoint that offers characters.',
    );
  const c = cameos[0]!;
  if (otherReference)
    throw new ShotlineError('unsupported', `This shot already starts from ${otherReference}, so @${c.handle}'s still cannot also be its first frame on "${ability.label}".`, 'Clear the shot\'s reference image (or turn continuity off), or use an endpoint that offers characters.');
  if (!c.hasStill) throw new ShotlineError('invalid_input', `@${c.handle} has no reference still to send to "${ability.label}".`, 'Pick a still for the cameo in the Cameos view.');
  return [{ cameoId: c.id, delivery: 'reference-image', parts: partsWith(['likeness'], c, ability) }];
}

function partsWith(parts: CameoPart[], c: DeliveryCameo, ability: CameoAbility): CameoPart[] {
  return ability.voice && c.hasVoice ? [...parts, 'voice'] : parts;
}

/** A cameo as a generate job's payload carries it: enough to check consent again and deliver it when the job runs. */
export interface PayloadCameo {
  cameoId: string;
  handle: string;
  name: string;
  description: string;
  consentRecordId: string;
  parts: CameoPart[];
  delivery: Exclude<CameoDelivery, 'none'>;
  /** The still sent as the first frame ('reference-image'). */
  still?: { sha256: string; ext: string };
  /** The clip a character is made from ('character'). */
  source?: { sha256: string; ext: string };
  /** The voice sample, when the backend takes one and 'voice' is among the parts (consent checked). */
  voice?: { sha256: string; ext: string };
}
