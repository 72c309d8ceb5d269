/**
 * On a paid endpoint: what the batch about to be sent will cost (generation.estimate, the same
 * input as generation.start, nothing queued; cache hits are free) and what this project's
 * remote takes have cost so far (generation.spend). Nothing is shown for free backends.
 */
import { useEffect, useState } from 'react';
import type { MethodInput } from '@app/api/contract';
import type { CostEstimate, ProjectSpend } from '@app/generation/api';
import { api } from '../../client';
import { useProject } from '../../state/project';

const usd = (n: number) => `$${n.toFixed(2)}`;

export function CostLine({ input, paid }: { input: MethodInput<'generation.start'> | null; paid: boolean }) {
  const [estimate, setEstimate] = useState<CostEstimate | null>(null);
  const [spend, setSpend] = useState<ProjectSpend | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // The running total changes when takes arrive; their count is a cheap proxy for "refresh".
  const takeCount = useProject((s) => (s.state ? Object.keys(s.state.takes).length : 0));
  const key = input ? JSON.stringify(input) : '';

  useEffect(() => {
    if (!paid || !input) return setEstimate(null);
    let live = true;
    const t = setTimeout(() => {
      api()
        .call('generation.estimate', input)
        .then((e) => live && (setEstimate(e), setProblem(null)))
        .catch((e: unknown) => live && (setEstimate(null), setProblem(e instanceof Error ? e.message : String(e))));
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [key, paid]);

  useEffect(() => {
    if (!paid) return;
    let live = true;
    void api()
      .call('generation.spend', {})
      .then((s) => live && setSpend(s))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [paid, takeCount]);

  if (!paid) return null;
  return (
    <div className="gen-row gen-cost" data-testid="generate-cost">
      <span className="gen-row__label">Cost</span>
      <div className="gen-row__control gen-col">
        <span data-testid="generate-estimate" data-usd={estimate?.totalUsd ?? ''}>
          {estimate && estimate.totalUsd !== null
            ? `${usd(estimate.totalUsd)} for ${estimate.takes} take${estimate.takes === 1 ? '' : 's'} × ${estimate.secondsPerTake} s at ${usd(estimate.pricePerSecond ?? 0)}/s`
            : problem
              ? 'Price unknown until the request is valid'
              : 'Estimating…'}
        </span>
        <span className="gen-note" data-testid="generate-spend" data-usd={spend?.totalUsd ?? ''}>
          This project so far: {spend ? `${usd(spend.totalUsd)} (${spend.takes} paid take${spend.takes === 1 ? '' : 's'})` : '…'}
        </span>
      </div>
    </div>
  );
}
