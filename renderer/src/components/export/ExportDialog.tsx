/** Export: preset, fit/fill, output path, overwrite; then live progress, cancel, result. */
import { useEffect, useState } from 'react';
import type { SerializedError } from '@app/errors';
import { EXPORT_PRESETS, type ExportPreset, type FitMode } from '@app/export/presets';
import { INTERCHANGE_FORMATS, type InterchangeExportResult, type InterchangeFormat } from '@app/interchange/formats';
import { exportTimelineFile, packageProject } from '../../actions/interchange';
import { hasGeneratedFootage } from '@app/render/watermark';
import { cancelJob, startExport, exportPresets } from '../../actions/jobs';
import { withOverwriteConfirmation } from '../../actions/confirm-overwrite';
import { toSerialized } from '../../actions/errors';
import { formatEta, formatPercent, jobMessageText, joinPath, safeFileName } from '../../lib/format';
import { useJobs } from '../../state/jobs';
import { useProject } from '../../state/project';
import { useUi } from '../../state/ui';
import { ErrorBanner } from '../common/ErrorBanner';
import { Modal } from '../common/Modal';
import { LoudnessSection, type LoudnessChoice } from './LoudnessSection';

function defaultPreset(width: number, height: number): string {
  if (width === height) return 'square-1080';
  return width > height ? '1080p' : 'vertical-1080';
}

type OutputFormat = 'mp4' | 'package' | InterchangeFormat;

function extensionOf(format: OutputFormat): string {
  if (format === 'package') return '.shotlinepkg';
  return format === 'mp4' ? '.mp4' : INTERCHANGE_FORMATS.find((f) => f.id === format)!.extension;
}

/** Swap the output's extension when the format changes (keeps whatever name the user typed). */
function withExtension(p: string, ext: string): string {
  return p.replace(/\.(mp4|otio|fcpxml|edl|mlt|shotlinepkg)$/i, '') + ext;
}

function HandoffResult({ result }: { result: InterchangeExportResult }) {
  return (
    <div className="export-result export-result--ok" role="status" data-testid="export-result" data-state="succeeded">
      <strong>File written.</strong>
      <code className="export-result__path">{result.outPath}</code>
      {result.mediaDir && (
        <span className="muted">
          {result.mediaFiles} media file{result.mediaFiles === 1 ? '' : 's'} copied to <code>{result.mediaDir}</code>
        </span>
      )}
      {result.warnings.length > 0 && (
        <ul className="export-result__warnings" data-testid="export-warnings">
          {result.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function outPathOf(result: unknown): string | null {
  const r = result as { outPath?: unknown; path?: unknown } | null;
  if (r && typeof r.outPath === 'string') return r.outPath;
  if (r && typeof r.path === 'string') return r.path;
  return null;
}

function Progress({ jobId, outPath }: { jobId: string; outPath: string }) {
  const job = useJobs((s) => s.jobs[jobId]);
  if (!job) return <p className="muted">Starting…</p>;
  const pct = formatPercent(job.progress);
  if (job.state === 'succeeded')
    return (
      <div className="export-result export-result--ok" role="status" data-testid="export-result" data-state="succeeded">
        <strong>Export finished.</strong>
        <code className="export-result__path">{outPathOf(job.result) ?? outPath}</code>
      </div>
    );
  if (job.state === 'failed' || job.state === 'canceled')
    return (
      <div data-testid="export-result" data-state={job.state}>
        {job.state === 'canceled' ? (
          <div className="banner" role="status">
            Export canceled.
          </div>
        ) : (
          <ErrorBanner error={job.error ?? { code: 'internal', message: job.message || 'The export failed.' }} testId="export-error" />
        )}
      </div>
    );
  return (
    <div className="export-progress">
      <div className="export-progress__text">
        <span data-testid="export-stage">{jobMessageText(job.message) || (job.state === 'queued' ? 'Waiting to start…' : 'Rendering…')}</span>
        <span className="export-progress__nums">
          <strong data-testid="export-percent">{pct}</strong>
          {job.etaSeconds !== null && <span className="muted"> · {formatEta(job.etaSeconds)}</span>}
        </span>
      </div>
      <div className="progress progress--lg" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(job.progress * 100)} aria-label="Export progress" data-testid="export-progress">
        <div className="progress__bar" style={{ width: pct }} />
      </div>
    </div>
  );
}

export function ExportDialog() {
  const setOpen = useUi((s) => s.setExportOpen);
  const settings = useProject((s) => s.state!.settings);
  const dir = useProject((s) => s.dir ?? '');
  const [presets, setPresets] = useState<readonly ExportPreset[]>(EXPORT_PRESETS);
  const [preset, setPreset] = useState(() => defaultPreset(settings.width, settings.height));
  const [fit, setFit] = useState<FitMode>('fit');
  const [outPath, setOutPath] = useState(() => joinPath(dir, 'exports', `${safeFileName(settings.name)}.mp4`));
  const [overwrite, setOverwrite] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<SerializedError | null>(null);
  const [starting, setStarting] = useState(false);
  const [format, setFormat] = useState<OutputFormat>('mp4');
  const [copyMedia, setCopyMedia] = useState(true);
  const [handoff, setHandoff] = useState<InterchangeExportResult | null>(null);
  const hasGenerated = useProject((s) => (s.state ? hasGeneratedFootage(s.state) : false));
  const [watermark, setWatermark] = useState(true);
  const [loudness, setLoudness] = useState<LoudnessChoice>('preset');
  const job = useJobs((s) => (jobId ? s.jobs[jobId] : undefined));
  const running = !!job && (job.state === 'queued' || job.state === 'running');

  useEffect(() => {
    exportPresets()
      .then((list) => list.length && setPresets(list))
      .catch(() => {});
  }, []);

  async function start() {
    setError(null);
    setStarting(true);
    setHandoff(null);
    try {
      if (format === 'package') {
        setJobId(null);
        const out = outPath.trim();
        const r = await withOverwriteConfirmation(out, (confirmOverwrite) => packageProject({ outPath: out, overwrite, ...(confirmOverwrite ? { confirmOverwrite } : {}) }));
        setHandoff({ outPath: r.outPath, format: 'otio', mediaDir: null, mediaFiles: 0, warnings: r.leftOut.length ? [`Not packed (not on the timeline): ${r.leftOut.map((x) => x.name).join(', ')}`] : [] });
        return;
      }
      if (format !== 'mp4') {
        setJobId(null);
        const out = outPath.trim();
        setHandoff(await withOverwriteConfirmation(out, (confirmOverwrite) => exportTimelineFile({ format, outPath: out, copyMedia, overwrite, ...(confirmOverwrite ? { confirmOverwrite } : {}) })));
        return;
      }
      const input = { preset, outPath: outPath.trim(), fit, overwrite, ...(hasGenerated ? { watermark } : {}), ...(loudness !== 'preset' ? { loudness } : {}) };
      setJobId(await withOverwriteConfirmation(input.outPath, (confirmOverwrite) => startExport({ ...input, ...(confirmOverwrite ? { confirmOverwrite } : {}) })));
    } catch (e) {
      setError(toSerialized(e));
    } finally {
      setStarting(false);
    }
  }

  const footer = (
    <>
      {running ? (
        <button type="button" className="btn btn--danger" onClick={() => void cancelJob(jobId!)} data-testid="export-cancel">
          Cancel export
        </button>
      ) : (
        <button type="button" className="btn" onClick={() => setOpen(false)} data-testid="export-close">
          {job ? 'Close' : 'Cancel'}
        </button>
      )}
      <button type="button" className="btn btn--primary" onClick={() => void start()} disabled={running || starting || !outPath.trim()} data-testid="export-start">
        {job && !running ? 'Export again' : starting ? 'Starting…' : 'Start export'}
      </button>
    </>
  );

  return (
    <Modal title="Export" onClose={() => setOpen(false)} footer={footer} testId="export-dialog">
      <div className="form">
        <label className="field">
          <span className="field__label">Format</span>
          <select
            className="input select"
            value={format}
            onChange={(e) => {
              const next = e.target.value as OutputFormat;
              setFormat(next);
              setOutPath((p) => withExtension(p, extensionOf(next)));
            }}
            disabled={running}
            data-testid="export-format"
          >
            <option value="mp4">MP4 video (H.264/AAC, with content credentials)</option>
            <option value="package" title="The project database, the media its timeline uses and a manifest, in one zip">
              Project package (.shotlinepkg)
            </option>
            {INTERCHANGE_FORMATS.map((f) => (
              <option key={f.id} value={f.id} title={f.for}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        {format === 'mp4' && hasGenerated && (
          <label className="check" title="Turning it off is recorded in the file's content credentials">
            <input type="checkbox" checked={watermark} onChange={(e) => setWatermark(e.target.checked)} disabled={running} data-testid="export-watermark" />
            Mark generated footage with a moving "AI-generated" label
          </label>
        )}
        {format === 'mp4' && (
          <p className="field__note" data-testid="export-credentials-note">
            The MP4 is signed with content credentials (C2PA) by this installation's own certificate, which is not on a public trust list: other apps show it as valid, signer unknown.
          </p>
        )}
        {format !== 'mp4' && format !== 'package' && (
          <label className="check">
            <input type="checkbox" checked={copyMedia} onChange={(e) => setCopyMedia(e.target.checked)} data-testid="export-copy-media" />
            Copy media next to it (a self-contained hand-off folder)
          </label>
        )}
        {format === 'mp4' && (
          <>
            <label className="field">
              <span className="field__label">Preset</span>
              <select className="input select" value={preset} onChange={(e) => setPreset(e.target.value)} disabled={running} data-testid="export-preset">
                {presets.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
              </select>
            </label>
            <fieldset className="field" disabled={running}>
              <legend className="field__label">When the picture's shape differs</legend>
              <div className="segmented" role="radiogroup" aria-label="Fit or fill">
                {(['fit', 'fill'] as FitMode[]).map((m) => (
                  <button key={m} type="button" role="radio" aria-checked={fit === m} className={fit === m ? 'is-active' : ''} onClick={() => setFit(m)} data-testid={`export-fit-${m}`}>
                    {m === 'fit' ? 'Fit (letterbox)' : 'Fill (crop)'}
                  </button>
                ))}
              </div>
            </fieldset>
            <LoudnessSection preset={presets.find((p) => p.id === preset)} fit={fit} choice={loudness} onChoice={setLoudness} disabled={running} />
          </>
        )}
        <label className="field">
          <span className="field__label">Output file</span>
          <input className="input input--mono" value={outPath} onChange={(e) => setOutPath(e.target.value)} disabled={running} spellCheck={false} data-testid="export-path" />
        </label>
        <label className="check">
          <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} disabled={running} data-testid="export-overwrite" />
          Replace the file if it exists
        </label>
        {error && <ErrorBanner error={error} onDismiss={() => setError(null)} testId="export-error" />}
        {jobId && <Progress jobId={jobId} outPath={outPath} />}
        {handoff && <HandoffResult result={handoff} />}
      </div>
    </Modal>
  );
}
