/**
 * The viewer plays the timeline: the top unmuted video-track clip under the playhead is
 * shown (a <video> seeked to in + (playhead - start), or an <img> for stills), black in
 * gaps; each audio track plays through hidden <audio> elements (two, so a crossfade's two
 * clips sound together). Every element goes through Web Audio (lib/audio-route.ts): its
 * level is what export applies (volume × keyframes × fades × crossfades × track fader,
 * app/timeline/fades.ts, above 1× included), its pan the track's, mute and solo as export.
 */
import { memo, useMemo, useRef, type CSSProperties } from 'react';
import type { Asset, Clip, Track } from '@app/model/types';
import { clipGainAt } from '@app/timeline/fades';
import { clipEnd } from '@app/timeline/query';
import { flicksToSeconds, type Flicks } from '@app/time/flicks';
import { mediaUrl } from '../../client';
import { useMediaSync } from '../../hooks/useMediaSync';
import { useMixLevel } from '../../hooks/useMixLevel';
import { anySolo, isAudible, trackPan, trackVolume } from '@app/timeline/mix';
import { trackCrossfades, type ClipCrossfades } from '@app/timeline/crossfades';
import { useAssets, useDisplayTracks, useSettings, useTrackClips } from '../../state/selectors';
import { useUi } from '../../state/ui';
import { TransportBar } from './TransportBar';
import { stabilizedSource, StabilizeViewerLabel } from '../inspector/StabilizePreview';
import { GradedPicture } from './GradedPicture';
import { audioSlots } from './audioSlots';
import { LoopSeamOverlay, mappedSourceTime } from '../inspector/SpeedPreview';
import { useRevokedAsset } from '../cameos/RevokedMark';

interface Hit {
  clip: Clip;
  asset: Asset;
  track: Track;
}

function clipOn(clips: readonly Clip[], t: Flicks): Clip | undefined {
  return clips.find((c) => c.startFlicks <= t && t < clipEnd(c));
}

const NO_CLIPS: readonly Clip[] = [];

const sourceSeconds = (h: Hit | null, t: Flicks) => (h ? flicksToSeconds(h.clip.inFlicks + (t - h.clip.startFlicks)) : 0);

/**
 * Export conforms a mono source to stereo with ffmpeg's default up-mix, the centre at −3 dB in
 * each channel (1/√2); Web Audio's up-mix copies it at full level. The Viewer applies the same
 * 1/√2 to mono media so each channel's level is what the file will hold.
 */
function monoUpmix(asset: Asset | undefined): number {
  return asset?.probe.channels === 1 ? Math.SQRT1_2 : 1;
}

/**
 * One audio track: two players, so the two clips of a crossfade (the only overlap a track has)
 * sound together (audioSlots.ts deals the clips to them). `clips` is the track's
 * list from the project index (sorted by start; the same array until an edit touches the track).
 */
const AudioTrackPlayer = memo(function AudioTrackPlayer({ track, clips: sorted, audible }: { track: Track; clips: readonly Clip[]; audible: boolean }) {
  const fades = useMemo(() => trackCrossfades(sorted), [sorted]);
  const slots = useMemo(() => audioSlots(sorted), [sorted]);
  return (
    <>
      {slots.map((slot, i) => (
        <AudioSlot key={i} track={track} clips={slot} fades={fades} audible={audible} />
      ))}
    </>
  );
});

function AudioSlot({ track, clips, fades, audible }: { track: Track; clips: Clip[]; fades: Map<string, ClipCrossfades>; audible: boolean }) {
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
  useMediaSync(ref, src, t, r, { muted: !audible || !!mapped?.muted || r < 0 || r > 2 });
  const xf = clip ? fades.get(clip.id) : undefined;
  const up = monoUpmix(asset);
  useMixLevel(ref, src, (at) => (clip ? up * trackVolume(track) * clipGainAt(clip, Math.min(at, clipEnd(clip)), xf) : 0), playhead, r, trackPan(track));
  return <audio ref={ref} src={src ?? undefined} preload="auto" data-testid="viewer-audio" data-track-id={track.id} data-clip-id={clip?.id ?? ''} hidden />;
}

export function Viewer() {
  const settings = useSettings();
  const tracks = useDisplayTracks();
  const perTrack = useTrackClips();
  const assets = useAssets();
  const playhead = useUi((s) => s.playhead);
  const rate = useUi((s) => s.rate);
  const videoRef = useRef<HTMLVideoElement>(null);

  // Display order puts the top video layer first.
  let picture: Hit | null = null;
  for (const track of tracks) {
    if (track.kind !== 'video' || track.muted) continue;
    const clip = clipOn(perTrack[track.id] ?? NO_CLIPS, playhead);
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
  // A picture plays its own sound only while that sound is not on an audio track (detached) and its track is heard.
  const solo = anySolo(tracks);
  const ownSound = !!video && !video.clip.audioDetached && isAudible(video.track, solo);
  useMediaSync(videoRef, videoSrc, (mapped ? mapped.seconds : sourceSeconds(video, playhead)) - (stab?.offsetSeconds ?? 0), mediaRate, {
    muted: !ownSound || !!mapped?.muted || mediaRate < 0 || mediaRate > 2,
  });
  const up = monoUpmix(video?.asset);
  useMixLevel(videoRef, videoSrc, (at) => (video && ownSound ? up * clipGainAt(video.clip, Math.min(at, clipEnd(video.clip))) : 0), playhead, mediaRate, 0);

  const ar = settings ? settings.width / settings.height : 16 / 9;
  // A take whose cameo was revoked still plays (the filmmaker must see what to replace), but never unmarked.
  const revoked = useRevokedAsset(picture?.asset.id);
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
          {revoked && (
            <div className="viewer__revoked" role="status" data-testid="viewer-revoked">
              Uses a revoked cameo: this take cannot be exported. Replace it with another take or a retake without that cameo.
            </div>
          )}
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
          <AudioTrackPlayer key={t.id} track={t} clips={perTrack[t.id] ?? NO_CLIPS} audible={isAudible(t, solo)} />
        ))}
      <TransportBar />
    </section>
  );
}
