/**
 * Cameos in generation, main side: at `generation.start` the shot's cameos (its cameo ids and
 * the @handles in its prompt) are resolved, the delivery is chosen from the backend's ability,
 * consent is checked for every part the backend will receive, and each take's use is logged;
 * when the job runs, consent is checked again and a character is uploaded (consent first) or
 * taken from the per-endpoint cache. The provenance of the take lists every cameo and the
 * consent record it was used under.
 */
import fs from 'node:fs';
import path from 'node:path';
import { planCameoDelivery, type CameoAbility, type PayloadCameo } from '../../app/cameos/delivery.js';
import { shotCameoAsks, type CameoAsk } from '../../app/cameos/asks.js';
import { checkCameoUse, covers } from '../../app/cameos/consent.js';
import type { AssetCameo } from '../../app/cameos/marks.js';
import { ShotlineError } from '../../app/errors.js';
import type { GenerationStartParsed } from '../../app/generation/api.js';
import type { GenerationBackend } from '../../app/generation/backend.js';
import type { GeneratePayload } from '../../app/generation/jobs.js';
import type { RemoteUpload } from '../../app/generation/types.js';
import type { Shot } from '../../app/model/types.js';
import type { EndpointService } from '../endpoints/service.js';
import type { ProjectSession } from '../session/project-session.js';
import type { CameoService } from './service.js';
import { describeApiError } from '../backends/openai-videos/client.js';

const OPENAI = 'openai-videos:';

/** What a backend can take a cameo as. */
export function cameoAbility(backend: Pick<GenerationBackend, 'id' | 'label' | 'capabilities'>, endpoints?: EndpointService): CameoAbility {
  const i2v = backend.capabilities.tasks.includes('image-to-video');
  const characters = backend.id.startsWith(OPENAI) && endpoints?.rows.get(backend.id.slice(OPENAI.length))?.options.characters === true;
  // A voice sample reaches only a backend with a voice input (a ComfyUI workflow mapping a LoadAudio node).
  return { label: backend.label, characters, referenceImage: i2v, voice: backend.capabilities.voiceInput === true };
}

/** The shot's cameos: its picked ids plus the @handles in its prompt (and a remix's prompt), each resolved or refused, with the part it is asked for. */
export function shotCameoAsksOf(cameos: CameoService, shot: Shot, input: GenerationStartParsed): CameoAsk[] {
  const library = cameos.lib.rows.list();
  const missing = shot.cameoIds.find((id) => !library.some((c) => c.id === id));
  if (missing) throw new ShotlineError('not_found', `A cameo of "${shot.title}" is not in your cameo library.`, 'Remove it from the shot, or import its bundle again.');
  const { asks, problems } = shotCameoAsks([shot.prompt, input.remix?.prompt ?? {}], shot.cameoIds, library);
  const first = problems[0];
  if (first) throw new ShotlineError('invalid_input', first.message, first.hint);
  return asks;
}

/**
 * Plan and check the cameos of a `generation.start`: throws (nothing queued) when a cameo is
 * unknown, refused by its consent, or cannot reach this backend.
 */
export async function planShotCameos(cameos: CameoService, session: ProjectSession, input: GenerationStartParsed, backend: GenerationBackend, endpoints?: EndpointService): Promise<PayloadCameo[]> {
  const shot = session.state.shots[input.shotId]!;
  const asks = shotCameoAsksOf(cameos, shot, input);
  if (!asks.length) return [];
  const ctx = { project: { dir: session.dir, name: session.state.settings.name }, shotId: shot.id, shotTitle: shot.title, endpoint: backend.label, purpose: 'generate', log: false };
  // Consent first, for the part the shot asks of each cameo: a revoked or expired cameo is refused
  // for that reason, whatever the backend; a voice-only consent only where the cameo must appear.
  for (const a of asks)
    await cameos.assertCameoUse(a.cameo.id, a.part, ctx).catch(async (e: unknown) => {
      // Refused because it may only be heard (not revoked, expired, …): say where it may be used.
      const why = e instanceof ShotlineError && a.part === 'likeness' && covers(a.cameo.consent.covers, 'voice') ? checkCameoUse(a.cameo, { part: 'likeness', user: await cameos.user() }, new Date()) : null;
      if (why && !why.ok && (why.reason === 'not_covered' || why.reason === 'part_missing'))
        throw new ShotlineError(
          'consent_refused',
          `${why.message} @${a.cameo.handle} can be heard (a dialogue speaker, or a workflow's voice input) but cannot appear in the picture, and "${shot.title}" names it in its description.`,
          `Name @${a.cameo.handle} only as a dialogue speaker (or in the Audio field), or ask ${a.cameo.consent.subject} for consent that covers the likeness.`,
        );
      throw e;
    });
  const list = asks.map((a) => a.cameo);
  const ability = cameoAbility(backend, endpoints);
  const seen = asks.filter((a) => a.part === 'likeness');
  if (input.remix && !ability.characters && seen.length)
    throw new ShotlineError('unsupported', `A remix on "${backend.label}" cannot take a cameo (${seen.map((a) => `@${a.cameo.handle}`).join(', ')}): only a character can join a remix.`, 'Remove the cameo, or remix on an endpoint that offers characters.');
  const wantsRef = input.useReference ?? shot.referenceAssetId !== null;
  const wantsContinue = input.continueFromPrevious ?? shot.continuity;
  const other = input.remix ? null : wantsContinue ? "the previous shot's last frame" : wantsRef ? 'its reference image' : null;
  const plan = planCameoDelivery(
    asks.map((a) => ({ id: a.cameo.id, handle: a.cameo.handle, hasStill: a.cameo.media.some((m) => m.role === 'still'), hasVoice: a.cameo.parts.voice && a.cameo.media.some((m) => m.role === 'voice'), wants: a.part, inSound: a.inSound })),
    ability,
    ability.characters ? null : other,
  );
  const out: PayloadCameo[] = [];
  for (const p of plan) {
    const c = list.find((x) => x.id === p.cameoId)!;
    // The backend takes the voice sample: it is sent only under consent that covers the voice;
    // otherwise nothing is queued (the workflow would speak with someone else's voice, or none).
    for (const part of p.parts)
      if (part !== 'likeness')
        await cameos.assertCameoUse(c.id, part, ctx).catch((e: unknown) => {
          if (e instanceof ShotlineError && e.code === 'consent_refused')
            throw new ShotlineError('consent_refused', `${e.message} "${backend.label}" takes the voice sample of @${c.handle}, so nothing was queued.`, `${e.hint ?? ''} Or use a workflow without a voice input.`.trim());
          throw e;
        });
    if (p.delivery === 'character' && !c.media.some((m) => m.role === 'source'))
      throw new ShotlineError('invalid_input', `@${c.handle} has no video to make a character from on "${backend.label}".`, 'Add a video to the cameo, or use a backend that takes its still.');
    const still = c.media.find((m) => m.role === 'still');
    const source = c.media.find((m) => m.role === 'source');
    const voice = c.media.find((m) => m.role === 'voice');
    out.push({
      cameoId: c.id,
      handle: c.handle,
      name: c.name,
      description: c.description,
      consentRecordId: c.consent.id,
      owner: c.consent.owner,
      parts: p.parts,
      delivery: p.delivery,
      ...(p.delivery === 'reference-image' && still ? { still: { sha256: still.sha256, ext: still.ext } } : {}),
      ...(p.delivery === 'character' && source ? { source: { sha256: source.sha256, ext: source.ext } } : {}),
      ...(p.parts.includes('voice') && voice ? { voice: { sha256: voice.sha256, ext: voice.ext } } : {}),
    });
  }
  return out;
}

/** Log one use per cameo part for a queued take. */
export function logTakeUses(cameos: CameoService, session: ProjectSession, p: GeneratePayload, endpoint: string): void {
  const shot = session.state.shots[p.shotId];
  for (const pc of p.cameos ?? []) {
    const c = cameos.lib.rows.get(pc.cameoId);
    if (!c) continue;
    for (const part of pc.parts)
      cameos.logUse(c, part, { project: { dir: session.dir, name: session.state.settings.name }, shotId: p.shotId, shotTitle: shot?.title ?? null, takeLabel: p.label, endpoint, purpose: 'generate' });
  }
}

/**
 * A file of the take reached a server that keeps it: when it was a cameo's still (the reference
 * image) or voice sample, the cameo library records where, under the name the server gave it.
 */
export function recordCameoUpload(cameos: CameoService, p: GeneratePayload, u: RemoteUpload): void {
  const ref = u.input === 'reference' ? p.inputs.cameoReference : p.inputs.cameoVoice;
  if (!ref) return;
  cameos.lib.rows.putRemoteFile({ cameoId: ref.cameoId, endpointId: u.endpoint.id, endpointName: u.endpoint.name, baseUrl: u.endpoint.baseUrl, file: u.file, at: new Date().toISOString() });
}

/** Something that can make characters: the openai-videos backend's client. */
interface CharacterMaker {
  endpoint: { id: string; name: string };
  client: { createCharacter(name: string, video: { data: Uint8Array; name: string; type: string }, signal?: AbortSignal): Promise<{ id: string; name: string }> };
}

function characterMaker(backend: GenerationBackend): CharacterMaker | null {
  const b = backend as Partial<CharacterMaker>;
  return backend.id.startsWith(OPENAI) && b.client && typeof b.client.createCharacter === 'function' && b.endpoint ? (b as CharacterMaker) : null;
}

/**
 * Before a take runs: consent again (it may have been revoked or expired since it was queued),
 * then the character of each 'character' cameo — from the per-endpoint cache, else uploaded now,
 * after the check. Returns what the take's provenance records about its cameos.
 */
export async function prepareTakeCameos(cameos: CameoService, session: ProjectSession, p: GeneratePayload, backend: GenerationBackend, signal?: AbortSignal): Promise<AssetCameo[]> {
  const out: AssetCameo[] = [];
  const shot = session.state.shots[p.shotId];
  const ctx = { project: { dir: session.dir, name: session.state.settings.name }, shotId: p.shotId, shotTitle: shot?.title ?? null, takeLabel: p.label, endpoint: backend.label, log: false };
  for (const pc of p.cameos ?? []) {
    // Only named in the prompt (a voice-only cameo whose lines "Voice dialogue" speaks): nothing of it is in the take.
    if (!pc.parts.length) continue;
    let permitted = null;
    for (const part of pc.parts) permitted = await cameos.assertCameoUse(pc.cameoId, part, { ...ctx, purpose: 'generate' });
    const entry: AssetCameo = { cameoId: pc.cameoId, handle: pc.handle, consentRecordId: pc.consentRecordId, parts: pc.parts, delivery: pc.delivery };
    if (permitted && permitted.consentId !== pc.consentRecordId)
      throw new ShotlineError('consent_refused', `The consent record of @${pc.handle} changed after this take was queued.`, 'Generate the take again so it is checked against the current record.');
    if (pc.delivery === 'character') {
      const maker = characterMaker(backend);
      if (!maker || !pc.source) throw new ShotlineError('unsupported', `"${backend.label}" cannot take @${pc.handle} as a character.`, 'Generate again: the shot is planned for the backend it is sent to.');
      const cached = cameos.lib.rows.character(maker.endpoint.id, pc.cameoId, pc.source.sha256);
      if (cached) entry.characterId = cached.characterId;
      else {
        // Consent is checked (and the upload logged) immediately before the video leaves this machine.
        const use = await cameos.assertCameoUse(pc.cameoId, 'likeness', { ...ctx, purpose: 'character-upload', log: true });
        const file = use.files.find((f) => f.role === 'source' && f.sha256 === pc.source!.sha256);
        if (!file) throw new ShotlineError('not_found', `The video of @${pc.handle} is no longer in the cameo library.`);
        const made = await maker.client
          .createCharacter(pc.handle, { data: await fs.promises.readFile(file.path), name: `${pc.handle}${path.extname(file.path)}`, type: 'video/mp4' }, signal)
          .catch((e: unknown) => {
            throw describeApiError(e, maker.endpoint.name);
          });
        cameos.lib.rows.putCharacter({ endpointId: maker.endpoint.id, cameoId: pc.cameoId, mediaSha256: pc.source.sha256, characterId: made.id, characterName: made.name, createdAt: new Date().toISOString() });
        entry.characterId = made.id;
      }
    }
    out.push(entry);
  }
  return out;
}
