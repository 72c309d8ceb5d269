/**
 * Inspector › Speed: a constant rate (0.1×–10×) or a keyframed curve (presets: ramp in,
 * ramp out, hero), reverse, how slow motion makes frames, and what ramps do to the sound.
 * The clip's new length comes from the time map, the same one the Viewer and export use.
 */
import { useState } from 'react';
import type { Asset, Clip } from '@app/model/types';
import { FLICKS_PER_SECOND } from '@app/time/flicks';
import { presetKeyframes, SPEED_PRESETS, type SpeedPreset } from '@app/timing/curve';
import { clipTiming } from '@app/timing/timemap';
import { DEFAULT_SPEED, FRAME_SYNTHESIS, SPEED_MAX, SPEED_MIN, type FrameSynthesis, type SpeedEffect, type SpeedKeyframe } from '@app/model/timing';
import { setClipSpeed } from '../../actions/clips';
import { formatDuration } from '../../lib/format';
import { EditCheckbox } from '../common/EditCheckbox';
import { NumberSlider, ResetButton } from './NumberSlider';
import { SpeedCurveEditor } from './SpeedCurveEditor';

const SYNTH_LABEL: Record<FrameSynthesis, string> = { nearest: 'Nearest frame', blend: 'Frame blend', motion: 'Motion interpolated (slow)' };

export function SpeedTab({ clip, asset }: { clip: Clip; asset: Asset }) {
  const speed = clip.effects.speed ?? DEFAULT_SPEED;
  const [ripple, setRipple] = useState(true);
  const [selected, setSelected] = useState<number | null>(null);
  // The curve while a keyframe is dragged (the editor draws it; the summary follows it).
  const [preview, setPreview] = useState<SpeedKeyframe[] | null>(null);
  const curve = speed.keyframes.length >= 2;
  const timing = clipTiming(preview ? { ...clip, effects: { ...clip.effects, speed: { ...speed, keyframes: preview } } } : clip);

  const commitSpeed = (next: SpeedEffect | null) => setClipSpeed(clip.id, next, ripple);
  const commit = (next: SpeedEffect | null) => void commitSpeed(next);
  const patch = (p: Partial<SpeedEffect>) => commit({ ...speed, ...p });
  const preset = (p: SpeedPreset) => {
    setSelected(null);
    patch({ keyframes: presetKeyframes(p, speed.rate) });
  };
  const sel = selected !== null && curve ? speed.keyframes[selected] : undefined;
  const setKey = (i: number, p: Partial<SpeedKeyframe>) => patch({ keyframes: speed.keyframes.map((k, j) => (j === i ? { ...k, ...p } : k)) });
  const activePreset = SPEED_PRESETS.find((p) => JSON.stringify(presetKeyframes(p.id, speed.rate)) === JSON.stringify(speed.keyframes))?.id;

  return (
    <div className="timing-tab" data-testid="speed-tab">
      <div className="segmented segmented--sm timing-presets" role="group" aria-label="Speed presets">
        {SPEED_PRESETS.map((p) => (
          <button key={p.id} type="button" className={(p.id === 'constant' ? !curve : activePreset === p.id) ? 'is-active' : ''} aria-pressed={p.id === 'constant' ? !curve : activePreset === p.id} onClick={() => preset(p.id)} data-testid={`speed-preset-${p.id}`}>
            {p.label}
          </button>
        ))}
      </div>

      {!curve ? (
        <NumberSlider label="Speed" value={speed.rate} min={SPEED_MIN} max={SPEED_MAX} step={0.01} log defaultValue={1} unit="×" onCommit={(v) => patch({ rate: v })} testId="speed-rate" />
      ) : (
        <>
          <SpeedCurveEditor
            keyframes={speed.keyframes}
            selected={selected}
            onSelect={setSelected}
            onChange={setPreview}
            onCommit={(k) => {
              setPreview(null);
              patch({ keyframes: k });
            }}
          />
          {sel && selected !== null && (
            <div className="timing-keyframe" data-testid="speed-keyframe-panel">
              <NumberSlider label={`Keyframe ${selected + 1} speed`} value={sel.speed} min={SPEED_MIN} max={SPEED_MAX} step={0.01} log defaultValue={1} unit="×" onCommit={(v) => setKey(selected, { speed: v })} testId="speed-key-speed" />
              <div className="inspector__row">
                <label className="field field--compact timing-grow">
                  <span className="field__label">Into next</span>
                  <select className="select" value={sel.ease} disabled={selected === speed.keyframes.length - 1} onChange={(e) => setKey(selected, { ease: e.target.value as SpeedKeyframe['ease'] })} data-testid="speed-key-ease">
                    <option value="linear">Linear</option>
                    <option value="ease">Ease</option>
                  </select>
                </label>
                <button
                  type="button"
                  className="btn btn--xs"
                  disabled={selected === 0 || selected === speed.keyframes.length - 1}
                  onClick={() => {
                    setSelected(null);
                    patch({ keyframes: speed.keyframes.filter((_, j) => j !== selected) });
                  }}
                  data-testid="speed-key-delete"
                >
                  Delete keyframe
                </button>
              </div>
            </div>
          )}
          <p className="muted timing-note">Drag keyframes, or focus one and use the arrow keys; E eases, Delete removes; double-click adds.</p>
          <label className="field field--compact">
            <span className="field__label">Sound in ramps</span>
            <select className="select" value={speed.rampAudio} onChange={(e) => patch({ rampAudio: e.target.value as SpeedEffect['rampAudio'] })} data-testid="speed-ramp-audio">
              <option value="resample">Follows the speed (pitch moves)</option>
              <option value="mute">Silent</option>
            </select>
          </label>
        </>
      )}

      <EditCheckbox checked={speed.reverse} onToggle={(reverse) => commitSpeed({ ...speed, reverse })} testId="speed-reverse">
        Reverse
      </EditCheckbox>
      <div className="inspector__row">
        <label className="field field--compact timing-grow">
          <span className="field__label">Slow motion frames</span>
          <select className="select" value={speed.frames} onChange={(e) => patch({ frames: e.target.value as FrameSynthesis })} data-testid="speed-frames">
            {FRAME_SYNTHESIS.map((f) => (
              <option key={f} value={f}>
                {SYNTH_LABEL[f]}
              </option>
            ))}
          </select>
        </label>
        <ResetButton label="frame synthesis" disabled={speed.frames === 'nearest'} onReset={() => patch({ frames: 'nearest' })} display="nearest frame" testId="speed-frames-reset" />
      </div>
      <label className="check">
        <input type="checkbox" checked={ripple} onChange={(e) => setRipple(e.target.checked)} data-testid="speed-ripple" />
        Ripple: later clips follow the new length
      </label>
      <p className="muted timing-note" data-testid="speed-summary" data-duration={timing.duration}>
        {formatDuration(clip.outFlicks - clip.inFlicks)} of source plays in {formatDuration(timing.oneShot.length)}
        {clip.effects.loop ? ` per pass (${formatDuration(timing.duration)} looped)` : ''}.{' '}
        {asset.probe.hasAudio && !curve ? 'Sound keeps its pitch.' : ''}
      </p>
      <button type="button" className="btn btn--sm" disabled={!clip.effects.speed} onClick={() => commit(null)} data-testid="speed-reset-all">
        Real time (remove speed)
      </button>
      <span className="visually-hidden">{(timing.duration / FLICKS_PER_SECOND).toFixed(3)} seconds</span>
    </div>
  );
}
