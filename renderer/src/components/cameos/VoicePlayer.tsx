/**
 * A cameo's voice sample: its waveform drawn by WaveSurfer and bound to the page's own <audio>
 * element, so the waveform shows how far playback is and a click on it seeks, while the element
 * keeps its native controls. The samples come from the bytes the library already handed over
 * (decoded here, passed as WaveSurfer's peaks): WaveSurfer fetches nothing, which matters in the
 * desktop app, where media URLs are a custom protocol outside the page's fetch rules.
 * One instance per open cameo (the timeline draws its waveforms itself: docs/renderer.md).
 */
import { useEffect, useRef } from 'react';
import WaveSurfer from 'wavesurfer.js';

export function VoicePlayer({ url, bytes }: { url: string; bytes: Uint8Array }) {
  const box = useRef<HTMLDivElement>(null);
  const audio = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    let ws: WaveSurfer | null = null;
    let stop = false;
    void (async () => {
      const buf = await new OfflineAudioContext(1, 1, 48000).decodeAudioData(bytes.slice().buffer);
      if (stop || !box.current || !audio.current) return;
      ws = WaveSurfer.create({
        container: box.current,
        media: audio.current,
        peaks: [buf.getChannelData(0)],
        duration: buf.duration,
        height: 48,
        barWidth: 2,
        barGap: 1,
        barRadius: 1,
        normalize: true, // a quiet sample still shows its shape (its loudness is printed beside it)
        waveColor: '#3fcf8e',
        progressColor: '#1f8f5e',
        cursorColor: '#e6e6e6',
      });
    })().catch(() => {}); // an undecodable sample keeps its controls, without a waveform
    return () => {
      stop = true;
      ws?.destroy();
    };
  }, [bytes]);
  return (
    <>
      <div ref={box} className="cameo-wave" data-testid="cameo-waveform" />
      <audio ref={audio} controls src={url} data-testid="cameo-voice" />
    </>
  );
}
