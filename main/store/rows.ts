/** Mapping between model entities and their table rows. JSON only for nested values. */
import type { Asset, Clip, Shot, Take, Track } from '../../app/model/types.js';
import type { CollectionName } from '../../app/model/types.js';

type Row = Record<string, unknown>;

interface Mapper<T> {
  table: string;
  columns: string[];
  toRow(e: T): Row;
  fromRow(r: Row): T;
}

const json = (v: unknown) => JSON.stringify(v);
const parse = <T>(v: unknown): T => JSON.parse(String(v)) as T;

const assets: Mapper<Asset> = {
  table: 'assets',
  columns: ['id', 'kind', 'sha256', 'path', 'name', 'bytes', 'duration_flicks', 'probe', 'derivatives', 'provenance'],
  toRow: (a) => ({
    id: a.id, kind: a.kind, sha256: a.sha256, path: a.path, name: a.name, bytes: a.bytes,
    duration_flicks: a.probe.durationFlicks, probe: json(a.probe), derivatives: json(a.derivatives), provenance: json(a.provenance),
  }),
  fromRow: (r) => ({
    id: String(r.id), kind: r.kind as Asset['kind'], sha256: String(r.sha256), path: String(r.path), name: String(r.name),
    bytes: Number(r.bytes), probe: parse(r.probe), derivatives: parse(r.derivatives), provenance: parse(r.provenance),
  }),
};

const shots: Mapper<Shot> = {
  table: 'shots',
  columns: ['id', 'position', 'title', 'prompt', 'duration_flicks', 'aspect', 'chosen_take_id', 'seed', 'reference_asset_id', 'continuity', 'cameo_ids', 'notes'],
  toRow: (s) => ({
    id: s.id, position: s.position, title: s.title, prompt: json(s.prompt), duration_flicks: s.durationFlicks, aspect: s.aspect,
    chosen_take_id: s.chosenTakeId, seed: s.seed, reference_asset_id: s.referenceAssetId, continuity: s.continuity ? 1 : 0,
    cameo_ids: json(s.cameoIds), notes: s.notes,
  }),
  fromRow: (r) => ({
    id: String(r.id), position: Number(r.position), title: String(r.title), prompt: parse(r.prompt),
    durationFlicks: Number(r.duration_flicks), aspect: r.aspect as Shot['aspect'], chosenTakeId: (r.chosen_take_id as string) ?? null,
    seed: r.seed === null ? null : Number(r.seed), referenceAssetId: (r.reference_asset_id as string) ?? null,
    continuity: r.continuity === 1, cameoIds: parse(r.cameo_ids), notes: String(r.notes),
  }),
};

const takes: Mapper<Take> = {
  table: 'takes',
  columns: ['id', 'shot_id', 'asset_id', 'position', 'label', 'remix_of', 'revoked_cameos'],
  toRow: (t) => ({
    id: t.id, shot_id: t.shotId, asset_id: t.assetId, position: t.position, label: t.label, remix_of: t.remixOf,
    revoked_cameos: t.revokedCameos?.length ? json(t.revokedCameos) : null,
  }),
  fromRow: (r) => ({
    id: String(r.id), shotId: String(r.shot_id), assetId: String(r.asset_id), position: Number(r.position),
    label: String(r.label), remixOf: (r.remix_of as string) ?? null,
    // Absent rather than empty, so takes without a mark compare equal to those made in memory.
    ...(r.revoked_cameos ? { revokedCameos: parse<string[]>(r.revoked_cameos) } : {}),
  }),
};

/** Audio-track controls as one JSON column (absent members read as their defaults). */
type TrackMix = Pick<Track, 'volume' | 'pan' | 'solo' | 'locked'>;

const tracks: Mapper<Track> = {
  table: 'tracks',
  columns: ['id', 'kind', 'idx', 'name', 'muted', 'mix'],
  toRow: (t) => {
    const mix: TrackMix = {};
    if (t.volume !== undefined) mix.volume = t.volume;
    if (t.pan !== undefined) mix.pan = t.pan;
    if (t.solo !== undefined) mix.solo = t.solo;
    if (t.locked !== undefined) mix.locked = t.locked;
    return { id: t.id, kind: t.kind, idx: t.index, name: t.name, muted: t.muted ? 1 : 0, mix: Object.keys(mix).length ? json(mix) : null };
  },
  fromRow: (r) => ({
    id: String(r.id), kind: r.kind as Track['kind'], index: Number(r.idx), name: String(r.name), muted: r.muted === 1,
    ...(r.mix ? parse<TrackMix>(r.mix) : {}),
  }),
};

const clips: Mapper<Clip> = {
  table: 'clips',
  columns: ['id', 'track_id', 'asset_id', 'start_flicks', 'in_flicks', 'out_flicks', 'shot_id', 'effects', 'link_id', 'audio_detached'],
  toRow: (c) => ({
    id: c.id, track_id: c.trackId, asset_id: c.assetId, start_flicks: c.startFlicks, in_flicks: c.inFlicks,
    out_flicks: c.outFlicks, shot_id: c.shotId, effects: json(c.effects), link_id: c.linkId ?? null, audio_detached: c.audioDetached ? 1 : 0,
  }),
  // linkId / audioDetached are only present when set, so a clip reads back exactly as it was written.
  fromRow: (r) => ({
    id: String(r.id), trackId: String(r.track_id), assetId: String(r.asset_id), startFlicks: Number(r.start_flicks),
    inFlicks: Number(r.in_flicks), outFlicks: Number(r.out_flicks), shotId: (r.shot_id as string) ?? null, effects: parse(r.effects),
    ...(r.link_id ? { linkId: String(r.link_id) } : {}),
    ...(r.audio_detached === 1 ? { audioDetached: true } : {}),
  }),
};

export const MAPPERS: { [C in CollectionName]: Mapper<never> } = { assets, shots, takes, tracks, clips } as never;
export type { Mapper, Row };
