/**
 * "How was this made": a take's provenance (backend, model, provider, the prompt as the
 * backend received it, seed, steps, guidance, time taken) in a popover anchored to its
 * button. Native popover: light dismiss, Escape, top layer (never clipped by the strip).
 */
import { useEffect, useId, useRef } from 'react';
import type { Asset, Take } from '@app/model/types';
import { Icon } from '../common/Icon';
import { generatedInfo } from './util';

function place(button: HTMLElement, pop: HTMLElement) {
  const r = button.getBoundingClientRect();
  const w = pop.offsetWidth;
  const h = pop.offsetHeight;
  const left = Math.max(8, Math.min(window.innerWidth - w - 8, r.right - w));
  const below = r.bottom + 6;
  const top = below + h > window.innerHeight - 8 ? Math.max(8, r.top - h - 6) : below;
  pop.style.left = `${left}px`;
  pop.style.top = `${top}px`;
}

function Row({ k, v, testId }: { k: string; v: string | null; testId: string }) {
  if (v === null) return null;
  return (
    <div className="kv">
      <span className="kv__k">{k}</span>
      <span className="kv__v" title={v} data-testid={testId}>
        {v}
      </span>
    </div>
  );
}

const TASK_TEXT: Record<string, string> = { 'text-to-video': 'Text to video', 'image-to-video': 'Image to video', 'video-to-video': 'Remix (video to video)' };

export function ProvenancePopover({ take, asset, remixOfLabel, continuedFromLabel }: { take: Take; asset: Asset | undefined; remixOfLabel: string | null; continuedFromLabel: string | null }) {
  const id = useId().replace(/:/g, '');
  const btn = useRef<HTMLButtonElement>(null);
  const pop = useRef<HTMLDivElement>(null);
  const info = generatedInfo(asset);

  useEffect(() => {
    const p = pop.current;
    if (!p) return;
    const onToggle = (e: Event) => {
      if ((e as ToggleEvent).newState === 'open' && btn.current) place(btn.current, p);
    };
    p.addEventListener('toggle', onToggle);
    return () => p.removeEventListener('toggle', onToggle);
  }, []);

  const p = asset?.provenance;
  return (
    <>
      <button
        ref={btn}
        type="button"
        className="btn btn--ghost btn--icon btn--xs"
        popoverTarget={`prov-${id}`}
        aria-label={`How ${take.label} was made`}
        title="How this take was made"
        data-testid="take-info"
      >
        <Icon name="info" size={13} />
      </button>
      <div ref={pop} id={`prov-${id}`} popover="auto" className="prov-popover" role="dialog" aria-label={`${take.label} provenance`} data-testid="take-provenance">
        <div className="prov-popover__head">
          <strong>{take.label}</strong>
          {remixOfLabel && <span className="badge badge--accent">Remix of {remixOfLabel}</span>}
        </div>
        {info ? (
          <>
            <Row k="Backend" v={info.backend} testId="prov-backend" />
            <Row k="Model" v={info.model} testId="prov-model" />
            <Row k="Runs on" v={info.provider} testId="prov-provider" />
            <Row k="Task" v={info.task ? (TASK_TEXT[info.task] ?? info.task) : null} testId="prov-task" />
            <Row k="Seed" v={String(info.seed)} testId="prov-seed" />
            <Row k="Steps" v={info.steps === null ? null : String(info.steps)} testId="prov-steps" />
            <Row k="Guidance" v={info.guidance === null ? null : String(info.guidance)} testId="prov-guidance" />
            <Row k="Strength" v={info.strength === null ? null : String(info.strength)} testId="prov-strength" />
            <Row k="Clip" v={[info.size, info.durationSeconds !== null ? `${info.durationSeconds} s` : null].filter(Boolean).join(', ') || null} testId="prov-clip" />
            <Row k="Continued from" v={info.continuedFrom ? (continuedFromLabel ?? 'previous shot') : null} testId="prov-continued" />
            <Row k="Time taken" v={info.seconds === null ? null : `${info.seconds.toFixed(1)} s`} testId="prov-time" />
            <Row k="Made" v={new Date(info.createdAt).toLocaleString()} testId="prov-created" />
            <div className="prov-popover__prompt">
              <span className="field__label">Prompt as sent</span>
              <p data-testid="prov-prompt">{info.prompt || <span className="muted">(empty)</span>}</p>
            </div>
          </>
        ) : (
          <p className="muted" data-testid="prov-none">
            {p?.source === 'import' ? `Imported from ${p.originalName}.` : p?.source === 'sample' ? p.description : 'No generation record: this take was not generated.'}
          </p>
        )}
      </div>
    </>
  );
}
