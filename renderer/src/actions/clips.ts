/** Clip and track edits: placing, moving, trimming, recutting, and each clip's effects. */
import { edit, type ArgsOf } from './edit';

/** Without a track: the first free track of the media's kind (a new one if none is free). */
export const addClip = (trackId: string | undefined, assetId: string, startFlicks: number) =>
  edit({ command: 'clip.add', args: { ...(trackId ? { trackId } : {}), assetId, startFlicks } });

export const moveClip = (clipId: string, startFlicks: number, trackId?: string, opts: { alone?: boolean; crossfade?: boolean } = {}) =>
  edit({ command: 'clip.move', args: { clipId, startFlicks, ...(trackId ? { trackId } : {}), ...opts } });

/** Move one edge of a clip to a timeline time (`alone`: not its linked partners: a J or L cut). */
export const trimClip = (clipId: string, edge: 'in' | 'out', toFlicks: number, alone = false) => edit({ command: 'clip.trim', args: { clipId, edge, toFlicks, alone } });

export const setClipEffects = (clipId: string, effects: ArgsOf<'clip.setEffects'>['effects']) => edit({ command: 'clip.setEffects', args: { clipId, effects } });
export const setClipSpeed = (clipId: string, speed: ArgsOf<'clip.setSpeed'>['speed'], ripple: boolean) => edit({ command: 'clip.setSpeed', args: { clipId, speed, ripple } });
export const setClipLoop = (clipId: string, loop: ArgsOf<'clip.setLoop'>['loop']) => edit({ command: 'clip.setLoop', args: { clipId, loop } });
export const setClipStabilize = (clipId: string, stabilize: ArgsOf<'clip.setStabilize'>['stabilize']) => edit({ command: 'clip.setStabilize', args: { clipId, stabilize } });

/** Use a found loop point as the clip's source span (and no crossfade when the clip had no loop yet). */
export const applyLoopPoint = (clipId: string, startFrame: number, endFrame: number, hadLoop: boolean) =>
  edit({ command: 'clip.applyLoopPoint', args: { clipId, startFrame, endFrame, ...(hadLoop ? {} : { crossfadeFlicks: 0 }) } });

// Recut: frame-accurate changes of what part of the source a clip shows.
export const trimSource = (clipId: string, frames: { inFrame?: number; outFrame?: number }, ripple: boolean) =>
  edit({ command: 'clip.trimSource', args: { clipId, ...frames, ripple } });
export const rollEdit = (leftClipId: string, toFlicks: number) => edit({ command: 'clip.roll', args: { clipId: leftClipId, toFlicks: Math.max(0, toFlicks) } });
export const slipClip = (clipId: string, frames: number) => edit({ command: 'clip.slip', args: { clipId, frames } });
export const keepRange = (clipId: string, fromFlicks: number, toFlicks: number) => edit({ command: 'clip.keepRange', args: { clipId, fromFlicks, toFlicks } });

export const addTrack = (kind: ArgsOf<'track.add'>['kind']) => edit({ command: 'track.add', args: { kind } });
export const setTrackMuted = (trackId: string, muted: boolean) => edit({ command: 'track.update', args: { trackId, muted } });
export const updateTrack = (trackId: string, fields: Omit<ArgsOf<'track.update'>, 'trackId'>) => edit({ command: 'track.update', args: { trackId, ...fields } });
export const removeTrack = (trackId: string) => edit({ command: 'track.remove', args: { trackId } });

// Sound: linked picture and sound, the volume rubber band, crossfades.
export const detachAudio = (clipIds: string[]) => edit({ command: 'clip.detachAudio', args: { clipIds } });
export const linkClips = (clipIds: string[]) => edit({ command: 'clip.link', args: { clipIds } });
export const unlinkClips = (clipIds: string[]) => edit({ command: 'clip.unlink', args: { clipIds } });
export const setGainKeyframes = (clipId: string, keyframes: ArgsOf<'clip.setGainKeyframes'>['keyframes']) => edit({ command: 'clip.setGainKeyframes', args: { clipId, keyframes } });
export const crossfadeClip = (clipId: string, durationFlicks: number) => edit({ command: 'clip.crossfade', args: { clipId, durationFlicks } });
