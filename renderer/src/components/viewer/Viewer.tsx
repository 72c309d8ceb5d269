/**
 * The viewer plays the timeline: the top unmuted video-track clip under the playhead is
 * shown (a <video> seeked to in + (playhead - start), or an <img> for stills), black in
 * gaps; each audio track plays through its own hidden <audio>. Levels follow the clip's
 * volume and fades as export mixes them (app/timeline/fades.ts; above 1× is heard at 1×,
 * since a media element cannot amplify).
 */
import { useMemo, useRef, type CSSProperties } from 'react';
import type { Asset, Clip, Track } from '@app/model/types';
import { clipGainAt } from '@app/timeline/fades';
import { clipEnd } from '@app/timeline/query';
import { flicksToSeconds, type Flicks } from '@app/time/flicks';
import { mediaUrl } from '../../client';
import { useMediaSync } from '../../hooks/useMediaSync';
import { useAssets, useClips, useDisplayTracks, useSettings } from '../../state/selectors';
import { useUi } from '../../state/ui';
import { TransportBar } from './TransportBar';
import { stabilizedSource, StabilizeViewerLabel } from '../inspector/StabilizePreview';
import { GradedPicture } from './GradedPicture';
import { LoopSeamOverlay, mappedSourceTime } from '../inspector/SpeedPreview';

interface Hit {
  clip: Clip;
  asset: Asset;
  track: Track;
}

function clipOn(clips: Clip[], t: Flicks): Clip | undefined {
  return clips.find((c) => c.startFlicks <= t && t < clipEnd(c));
}

/** Per track, its clips (sorted), computed once per edit rather than per frame. */
function useClipsPerTrack(): Map<string, Clip[]> {
  const clips = useClips();
  return useMemo(() => {
    const m = new Map<string, Clip[]>();
    for (const c of Object.values(clips)) {
      const list = m.get(c.trackId) ?? [];
      list.push(c);
      m.set(c.trackId, list);
    }
    return m;
  }, [clips]);
}

const sourceSeconds = (h: Hit | null, t: Flicks) => (h ? flicksToSeconds(h.clip.inFlicks + (t - h.clip.startFlicks)) : 0);

function AudioTrackPlayer({ track, clips }: { track: Track; clips: Clip[] }) {
  const playhead = useUi((s) => s.playhead);
  const rate = useUi((s) => s.rate);
  const assets = useAssets();
  const ref = useRef<HTMLAudioElement>(null);
  const clip = clipOn(clips, playhead);
  const asset = clip ? assets[clip.assetId] : undefined;
  const src = asset ? mediaUrl(asset.path) : null;
  const fps = useSettings()?.fps;
  // Speed and loop: the time map gives the source time and the element's rate.
  const mapped = clip && asset && fps ? mappedSourceTime(clip, asset, fps, playhead, rate) : null;
  const t = mapped ? mapped.seconds : clip ? flicksToSeconds(clip.inFlicks + (playhead - clip.startFlicks)) : 0;
  const r = mapped ? mapped.rate : rate;
  useMediaSync(ref, src, t, r, { volume: clip ? clipGainAt(clip, playhead) : 1, muted: track.muted || !!mapped?.muted || r < 0 || r > 2 });
  return <audio ref={ref} src={src ?? undefined} preload="auto" data-testid="viewer-audio" data-track-id={track.id} hidden />;
}

export function Viewer() {
  const settings = useSettings();
  const tracks = useDisplayTracks();
  const perTrack = useClipsPerTrack();
  const assets = useAssets();
  const playhead = useUi((s) => s.playhead);
  const rate = useUi((s) => s.rate);
  const videoRef = useRef<HTMLVideoElement>(null);

  // Display order puts the top video layer first.
  let picture: Hit | null = null;
  for (const track of tracks) {
    if (track.kind !== 'video' || track.muted) continue;
    const clip = clipOn(perTrack.get(track.id) ?? [], playhead);
    const asset = clip && assets[clip.assetId];
    if (clip && asset && asset.kind !== 'audio') {
      picture = { clip, asset, track };
      break;
    }
  }
  const video = picture?.asset.kind === 'video' ? picture : null;
  // A stabilized clip plays its stabilized preview proxy, which starts at the clip's in point.
  const stab = stabilizedSource(video?.clip, video?.asset);
  const videoSrc = video ? mediaUrl(stab ? stab.path : video.asset.path) : null;
  // Speed and loop: seek to the source frame the time map names (paused) or play at the clip's rate.
  const mapped = video && settings ? mappedSourceTime(video.clip, video.asset, settings.fps, playhead, rate) : null;
  const mediaRate = mapped ? mapped.rate : rate;
  useMediaSync(videoRef, videoSrc, (mapped ? mapped.seconds : sourceSeconds(video, playhead)) - (stab?.offsetSeconds ?? 0), mediaRate, {
    volume: video ? clipGainAt(video.clip, playhead) : 1,
    muted: !!mapped?.muted || mediaRate < 0 || mediaRate > 2,
  });

  const ar = settings ? settings.width / settings.height : 16 / 9;
  return (
    <section className="viewer" aria-label="Viewer" data-testid="viewer">
      <div className="viewer__wrap">
        <div className="viewer__stage" style={{ '--ar': ar } as CSSProperties} data-clip-id={picture?.clip.id ?? ''}>
          <video
            ref={videoRef}
            className={video ? 'viewer__media' : 'viewer__media is-hidden'}
            src={videoSrc ?? undefined}
            preload="auto"
            playsInline
            disablePictureInPicture
            data-testid="viewer-video"
            data-asset-id={video?.asset.id ?? ''}
          />
          {picture?.asset.kind === 'image' && <img className="viewer__media" src={mediaUrl(picture.asset.path)} alt={picture.asset.name} data-testid="viewer-image" />}
          <GradedPicture clip={picture?.clip ?? null} asset={picture?.asset ?? null} videoRef={videoRef} ar={ar} />
          {!picture && <div className="viewer__gap" data-testid="viewer-gap" aria-label="No clip at the playhead" />}
          <StabilizeViewerLabel clip={video?.clip} asset={video?.asset} />
          {settings && <LoopSeamOverlay clip={video?.clip} asset={video?.asset} fps={settings.fps} playhead={playhead} />}
          {settings && (
            <span className="viewer__format">
              {settings.width}×{settings.height}
            </span>
          )}
        </div>
      </div>
      {tracks
        .filter((t) => t.kind === 'audio')
        .map((t) => (
          <AudioTrackPlayer key={t.id} track={t} clips={perTrack.get(t.id) ?? []} />
        ))}
      <TransportBar />
    </section>
  );
}
