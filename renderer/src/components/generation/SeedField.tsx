/** The shot's seed: random per take, or fixed (take k of a start uses seed + k). */
import { useState } from 'react';
import type { Shot } from '@app/model/types';
import { MAX_SEED } from '@app/generation/request';
import { updateShot } from '../../actions/storyboard';
import { Icon } from '../common/Icon';
import { randomSeed } from './util';

const setSeed = (shotId: string, seed: number | null) => updateShot(shotId, { seed });

export function SeedField({ shot, deterministic }: { shot: Shot; deterministic: boolean }) {
  const [text, setText] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const fixed = shot.seed !== null;
  const commit = () => {
    if (text === null) return;
    const t = text.trim();
    setText(null);
    if (!/^\d+$/.test(t) || Number(t) > MAX_SEED) {
      setProblem(`A seed is a whole number from 0 to ${MAX_SEED}.`);
      return;
    }
    setProblem(null);
    if (Number(t) !== shot.seed) void setSeed(shot.id, Number(t));
  };
  return (
    <div className="gen-row gen-row--top">
      <span className="gen-row__label" id={`seed-${shot.id}`}>
        Seed
      </span>
      <div className="gen-row__control gen-col">
        <div className="gen-inline">
          <div className="segmented segmented--sm" role="radiogroup" aria-labelledby={`seed-${shot.id}`}>
            <button type="button" role="radio" aria-checked={!fixed} className={!fixed ? 'is-active' : ''} onClick={() => fixed && void setSeed(shot.id, null)} data-testid="seed-random">
              Random
            </button>
            <button type="button" role="radio" aria-checked={fixed} className={fixed ? 'is-active' : ''} onClick={() => !fixed && void setSeed(shot.id, randomSeed())} data-testid="seed-fixed">
              Fixed
            </button>
          </div>
          {fixed && (
            <>
              <input
                className="input input--sm input--mono gen-seed"
                inputMode="numeric"
                value={text ?? String(shot.seed)}
                onChange={(e) => setText(e.target.value)}
                onBlur={commit}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') commit();
                  if (e.key === 'Escape') {
                    setText(null);
                    setProblem(null);
                  }
                }}
                aria-label="Seed"
                aria-invalid={problem ? true : undefined}
                data-testid="seed-input"
              />
              <button
                type="button"
                className="btn btn--ghost btn--icon btn--sm"
                onClick={() => void setSeed(shot.id, randomSeed())}
                aria-label="Roll a new seed"
                title="Roll a new seed"
                data-testid="seed-roll"
              >
                <Icon name="dice" size={14} />
              </button>
            </>
          )}
        </div>
        {problem && (
          <p className="gen-note gen-note--warn" role="alert" data-testid="seed-problem">
            {problem}
          </p>
        )}
        <p className="gen-note">
          {fixed ? 'Take 1 uses this seed, take 2 the next one, and so on.' : 'Each take gets its own random seed; it is shown on the take.'}
          {fixed && !deterministic && ' This backend does not promise the same clip for the same seed.'}
        </p>
      </div>
    </div>
  );
}
