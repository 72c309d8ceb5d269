/**
 * How each cameo in a shot reaches the chosen backend, decided from what the backend can take
 * (its capabilities), before anything is queued: a server-side character, the reference still
 * as the image-to-video first frame (one picture per request), or — where the backend can use
 * neither — a refusal that names the cameo and says what would work. Never a silent drop.
 */
import { ShotlineError } from '../errors.js';
import type { CameoDelivery } from './prompt.js';
import type { CameoOwner, CameoPart } from './types.js';

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
  /** The part the shot asks for (app/cameos/asks.ts): to appear (likeness), or only to be heard (voice). Default likeness. */
  wants?: CameoPart;
  /** Named in the dialogue or Audio field, so "Voice dialogue" can speak with its voice where the backend takes none. */
  inSound?: boolean;
}

export interface CameoDeliveryPlan {
  cameoId: string;
  delivery: CameoDelivery;
  /** The parts the backend receives (and that are checked against the consent); none for a cameo only named. */
  parts: CameoPart[];
}

/**
 * One plan per cameo, or a ShotlineError that says why the shot cannot take them.
 * `otherReference`: the shot already conditions on a picture (its reference image, continuity).
 * A cameo asked only for its voice does not compete for the first frame: it goes to a voice input
 * ('voice'), or, named in the dialogue on a backend without one, is only named ('none': its lines
 * are voiced by "Voice dialogue", which checks its voice consent itself).
 */
export function planCameoDelivery(cameos: readonly DeliveryCameo[], ability: CameoAbility, otherReference: string | null): CameoDeliveryPlan[] {
  if (!cameos.length) return [];
  const seen = cameos.filter((c) => (c.wants ?? 'likeness') === 'likeness');
  const heard = cameos.filter((c) => c.wants === 'voice');
  if (ability.voice && heard.length > 1)
    throw new ShotlineError('unsupported', `"${ability.label}" takes one voice sample per shot, so ${heard.map((c) => `@${c.handle}`).join(' and ')} cannot both be heard.`, 'Keep one voice in this shot (voice the other lines with Voice dialogue on a backend without a voice input).');
  // With a cameo there to be heard, the voice input is its; else the (one) cameo seen lends its voice.
  const voiceOf = (c: DeliveryCameo) => ability.voice && !heard.length && c.hasVoice;
  const out: CameoDeliveryPlan[] = [...planSeen(seen, ability, otherReference, voiceOf)];
  for (const c of heard) {
    if (ability.voice) out.push({ cameoId: c.id, delivery: 'voice', parts: ['voice'] });
    else if (c.inSound) out.push({ cameoId: c.id, delivery: 'none', parts: [] });
    else
      throw new ShotlineError(
        'unsupported',
        `@${c.handle} is in this shot for the voice only, and "${ability.label}" takes no voice sample.`,
        `Make @${c.handle} a dialogue speaker (Voice dialogue speaks with the cameo's voice), or choose a workflow with a voice input.`,
      );
  }
  return out;
}

function planSeen(cameos: readonly DeliveryCameo[], ability: CameoAbility, otherReference: string | null, voiceOf: (c: DeliveryCameo) => boolean): CameoDeliveryPlan[] {
  if (!cameos.length) return [];
  const names = cameos.map((c) => `@${c.handle}`).join(', ');
  const parts = (c: DeliveryCameo): CameoPart[] => (voiceOf(c) ? ['likeness', 'voice'] : ['likeness']);
  if (ability.characters) return cameos.map((c) => ({ cameoId: c.id, delivery: 'character', parts: parts(c) }));
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
  return [{ cameoId: c.id, delivery: 'reference-image', parts: parts(c) }];
}

/** A cameo as a generate job's payload carries it: enough to check consent again and deliver it when the job runs. */
export interface PayloadCameo {
  cameoId: string;
  handle: string;
  name: string;
  description: string;
  consentRecordId: string;
  parts: CameoPart[];
  delivery: CameoDelivery;
  /** The consent record's owner (tells "@maya~jo" from "@maya~ana" in the prompt). */
  owner?: CameoOwner;
  /** The still sent as the first frame ('reference-image'). */
  still?: { sha256: string; ext: string };
  /** The clip a character is made from ('character'). */
  source?: { sha256: string; ext: string };
  /** The voice sample, when the backend takes one and 'voice' is among the parts (consent checked). */
  voice?: { sha256: string; ext: string };
}
