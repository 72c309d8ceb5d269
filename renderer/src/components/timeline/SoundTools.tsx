/**
 * Sound actions on the selection: detach a picture's sound onto an audio track, link or
 * unlink picture and sound, crossfade an audio clip with the one before it.
 */
import { useMemo } from 'react';
import { linkedPartners } from '@app/timeline/links';
import { clipEnd, clipsOnTrack } from '@app/timeline/query';
import { isDeclaredCrossfade } from '@app/timeline/crossfades';
import { crossfadeClip, detachAudio, linkClips, unlinkClips } from '../../actions/clips';
import { useProject } from '../../state/project';
import { useUi } from '../../state/ui';

/** Default crossfade length: half a second, as editors' default transitions go. */
const CROSSFADE_FLICKS = 705_600_000 / 2;

export function SoundTools() {
  const state = useProject((s) => s.state);
  const selected = useUi((s) => s.selectedClipIds);
  const info = useMemo(() => {
    if (!state) return null;
    const clips = selected.map((id) => state.clips[id]).filter((c) => !!c);
    const detachable = clips.filter((c) => {
      const a = state.assets[c.assetId];
      return state.tracks[c.trackId]?.kind === 'video' && a?.kind === 'video' && a.probe.hasAudio && !c.audioDetached;
    });
    const linked = clips.filter((c) => linkedPartners(state, c).length > 0);
    const canLink = clips.length >= 2 && linked.length === 0 && new Set(clips.map((c) => c.trackId)).size === clips.length;
    const audio = clips.length === 1 && state.tracks[clips[0]!.trackId]?.kind === 'audio' ? clips[0]! : null;
    const prev = audio ? clipsOnTrack(state, audio.trackId).filter((c) => c.id !== audio.id && c.startFlicks < audio.startFlicks).at(-1) : undefined;
    const faded = !!(audio && prev && isDeclaredCrossfade(prev, audio));
    const butted = !!(audio && prev && clipEnd(prev) === audio.startFlicks);
    return { detachable, linked, canLink, audio, faded, butted, clips };
  }, [state, selected]);
  if (!info) return null;
  return (
    <>
      <button type="button" className="btn btn--sm btn--ghost" disabled={info.detachable.length === 0} onClick={() => void detachAudio(info.detachable.map((c) => c.id))} data-testid="detach-audio" title="Put the selected pictures' sound on an audio track, linked">
        Detach audio
      </button>
      {info.linked.length > 0 ? (
        <button type="button" className="btn btn--sm btn--ghost" onClick={() => void unlinkClips(info.linked.map((c) => c.id))} data-testid="unlink" title="Unlink picture and sound: they then move and trim separately">
          Unlink
        </button>
      ) : (
        <button type="button" className="btn btn--sm btn--ghost" disabled={!info.canLink} onClick={() => void linkClips(info.clips.map((c) => c.id))} data-testid="link" title="Link the selected clips (one per track): they move and trim together">
          Link
        </button>
      )}
      <button
        type="button"
        className="btn btn--sm btn--ghost"
        disabled={!info.audio || !(info.butted || info.faded)}
        onClick={() => info.audio && void crossfadeClip(info.audio.id, info.faded ? 0 : CROSSFADE_FLICKS)}
        data-testid="crossfade"
        title="Crossfade this audio clip with the one ending where it starts (0.5 s, from the media beyond the cut); again removes it. Or drag one over the other."
      >
        {info.faded ? 'Remove crossfade' : 'Crossfade'}
      </button>
    </>
  );
}
