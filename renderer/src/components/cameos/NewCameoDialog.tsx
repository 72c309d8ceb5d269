/**
 * A new cameo: from a guided capture (camera + microphone) or from files; pick the reference
 * stills on the frame strip (the sharpest suggested); name, @handle, appearance notes; and the
 * consent record — who appears, who may use it, for what, until when, their typed name and date.
 */
import { useEffect, useMemo, useState } from 'react';
import { handleProblem, suggestHandle } from '@app/cameos/handles';
import { suggestSharpest } from '@app/cameos/sharpness';
import type { ConsentAudience, ConsentCovers } from '@app/cameos/types';
import { createCameo } from '../../actions/cameos';
import { Modal } from '../common/Modal';
import { CaptureStep, releaseFrames, type CaptureResult } from './CaptureStep';
import { UserNameField } from './UserNameField';
import { useCameos } from '../../state/cameos';

type Step = 'source' | 'capture' | 'frames' | 'details';

const today = () => new Date().toISOString().slice(0, 10);

export function NewCameoDialog({ onClose }: { onClose: () => void }) {
  const [step, setStep] = useState<Step>('source');
  const [capture, setCapture] = useState<CaptureResult | null>(null);
  const [picked, setPicked] = useState<number[]>([]);
  const [files, setFiles] = useState<{ video?: File; stills: File[]; audio?: File }>({ stills: [] });
  const [name, setName] = useState('');
  const [handle, setHandle] = useState('');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState('');
  const [subject, setSubject] = useState('');
  const [audience, setAudience] = useState<ConsentAudience>('only-me');
  const [collaborators, setCollaborators] = useState('');
  const [covers, setCovers] = useState<ConsentCovers>('both');
  const [expires, setExpires] = useState('');
  const [signedName, setSignedName] = useState('');
  const [signedOn, setSignedOn] = useState(today());
  const [self, setSelf] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const userName = useCameos((s) => s.userName);
  // The recording's frame pictures are let go when a retake replaces it, or the dialog closes.
  useEffect(
    () => () => {
      if (capture) releaseFrames(capture);
    },
    [capture],
  );
  const sentence = `I, ${subject || name || 'the person in this video'}, agree to Shotline using my likeness and voice as recorded in this consent.`;
  const suggested = useMemo(() => new Set(capture ? suggestSharpest(capture.frames, 3, 1.5).map((f) => f.t) : []), [capture]);
  const shownHandle = handle || suggestHandle(name);
  const hp = name || handle ? handleProblem(shownHandle) : null;

  async function create() {
    setError(null);
    setBusy(true);
    try {
      const voiceAvailable = capture ? !!capture.voice : !!files.audio || !!files.video;
      await createCameo(
        {
          name,
          handle: shownHandle,
          description,
          // Comma-separated, as typed; duplicates (any case) once. Main checks each (≤ 60 chars, ≤ 30 tags).
          tags: tags
            .split(',')
            .map((t) => t.trim())
            .filter((t, i, all) => t && all.findIndex((u) => u.toLowerCase() === t.toLowerCase()) === i),
          consent: {
            subject: subject || name,
            audience,
            collaborators: audience === 'collaborators' ? collaborators.split(',').map((s) => s.trim()).filter(Boolean) : [],
            covers: voiceAvailable ? covers : 'likeness',
            expiresOn: expires || null,
            signedName,
            signedOn,
            spokenSentence: capture?.voice ? sentence : null,
            self,
          },
        },
        capture
          ? { video: capture.file, stills: capture.frames.filter((f) => picked.includes(f.t)).map((f, i) => new File([f.blob], `still-${i + 1}.jpg`, { type: 'image/jpeg' })) }
          : { ...(files.video ? { video: files.video } : {}), stills: files.stills, ...(files.audio ? { audio: files.audio } : {}) },
      );
      onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  const footer =
    step === 'details' ? (
      <>
        <button type="button" className="btn btn--ghost" onClick={() => setStep(capture ? 'frames' : 'source')}>
          Back
        </button>
        <button type="button" className="btn btn--primary" onClick={() => void create()} disabled={busy || !name.trim() || !signedName.trim() || !!hp} data-testid="cameo-create">
          {busy ? 'Creating…' : 'Create cameo'}
        </button>
      </>
    ) : undefined;

  return (
    <Modal title="New cameo" onClose={onClose} testId="new-cameo" wide footer={footer}>
      {step === 'source' && (
        <div className="cameo-source">
          <button type="button" className="cameo-source__choice" onClick={() => setStep('capture')} data-testid="cameo-from-camera">
            <strong>Record with the camera</strong>
            <span className="muted">A guided 14-second capture: face, a turn, and the consent sentence read aloud.</span>
          </button>
          <div className="cameo-source__choice">
            <strong>From files</strong>
            <label className="field">
              <span className="field__label">Video (likeness; its sound can be the voice)</span>
              <input type="file" accept="video/*" onChange={(e) => setFiles((f) => ({ ...f, video: e.target.files?.[0] }))} data-testid="cameo-file-video" />
            </label>
            <label className="field">
              <span className="field__label">Stills</span>
              <input type="file" accept="image/*" multiple onChange={(e) => setFiles((f) => ({ ...f, stills: [...(e.target.files ?? [])] }))} data-testid="cameo-file-stills" />
            </label>
            <label className="field">
              <span className="field__label">Voice sample</span>
              <input type="file" accept="audio/*" onChange={(e) => setFiles((f) => ({ ...f, audio: e.target.files?.[0] }))} data-testid="cameo-file-audio" />
            </label>
            <button type="button" className="btn" disabled={!files.video && !files.stills.length && !files.audio} onClick={() => setStep('details')} data-testid="cameo-files-next">
              Next
            </button>
          </div>
        </div>
      )}
      {step === 'capture' && (
        <CaptureStep
          sentence={sentence}
          onDone={(r) => {
            if (!r) return setStep('source');
            setCapture(r);
            setPicked(suggestSharpest(r.frames, 3, 1.5).map((f) => f.t));
            if (!r.voice) setCovers('likeness');
            setStep('frames');
          }}
        />
      )}
      {step === 'frames' && capture && (
        <div className="cameo-frames">
          <p>
            Pick the reference stills (the sharpest frames are suggested <span className="chip chip--ok">★</span>). {picked.length} picked.
          </p>
          <ul className="frame-strip" data-testid="frame-strip">
            {capture.frames.map((f) => {
              const on = picked.includes(f.t);
              return (
                <li key={f.t}>
                  <button
                    type="button"
                    className={on ? 'frame is-picked' : 'frame'}
                    aria-pressed={on}
                    aria-label={`Frame at ${f.t.toFixed(1)} s, sharpness ${f.sharpness.toFixed(0)}${suggested.has(f.t) ? ', suggested' : ''}`}
                    onClick={() => setPicked((p) => (on ? p.filter((x) => x !== f.t) : [...p, f.t].sort((a, b) => a - b)))}
                    data-testid="frame"
                    data-suggested={suggested.has(f.t)}
                  >
                    <img src={f.url} alt="" />
                    <span className="frame__t">{f.t.toFixed(1)} s</span>
                    {suggested.has(f.t) && <span className="frame__star">★</span>}
                  </button>
                </li>
              );
            })}
          </ul>
          <div className="row">
            <button type="button" className="btn btn--ghost" onClick={() => setStep('capture')} data-testid="frames-retake">
              Retake
            </button>
            <button type="button" className="btn btn--primary" disabled={!picked.length} onClick={() => setStep('details')} data-testid="frames-next">
              Next
            </button>
          </div>
        </div>
      )}
      {step === 'details' && (
        <div className="cameo-form">
          <fieldset>
            <legend>Cameo</legend>
            <label className="field">
              <span className="field__label">Name</span>
              <input className="input" value={name} onChange={(e) => setName(e.target.value)} data-testid="cameo-name" autoFocus />
            </label>
            <label className="field">
              <span className="field__label">@handle (used in prompts)</span>
              <input className="input" value={shownHandle} onChange={(e) => setHandle(e.target.value)} data-testid="cameo-handle" aria-invalid={!!hp} />
              {hp && <span className="error-text">{hp}</span>}
            </label>
            <label className="field">
              <span className="field__label">Appearance notes (added to prompts)</span>
              <textarea className="input" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="cameo-description" />
            </label>
            <label className="field">
              <span className="field__label">Tags (comma-separated)</span>
              <input className="input" value={tags} placeholder="cast, lead" onChange={(e) => setTags(e.target.value)} data-testid="cameo-tags" />
            </label>
          </fieldset>
          <fieldset data-testid="consent-form">
            <legend>Consent of the person in it</legend>
            <label className="field">
              <span className="field__label">Who appears</span>
              <input className="input" value={subject} placeholder={name} onChange={(e) => setSubject(e.target.value)} data-testid="consent-subject" />
            </label>
            <label className="field">
              <span className="field__label">Who may use it</span>
              <select className="input" value={audience} onChange={(e) => setAudience(e.target.value as ConsentAudience)} data-testid="consent-audience">
                <option value="only-me">Only me{userName ? ` (${userName})` : ''}</option>
                <option value="collaborators">Named collaborators</option>
                <option value="anyone-shared">Anyone I share it with</option>
              </select>
            </label>
            <UserNameField label="“Only me” means you, by this name:" />
            {audience === 'collaborators' && (
              <label className="field">
                <span className="field__label">Collaborators (comma-separated names)</span>
                <input className="input" value={collaborators} onChange={(e) => setCollaborators(e.target.value)} />
              </label>
            )}
            <label className="field">
              <span className="field__label">What for</span>
              <select className="input" value={covers} onChange={(e) => setCovers(e.target.value as ConsentCovers)} data-testid="consent-covers">
                <option value="both">Likeness and voice</option>
                <option value="likeness">Likeness only</option>
                <option value="voice">Voice only</option>
              </select>
            </label>
            <label className="field">
              <span className="field__label">Expires (optional)</span>
              <input className="input" type="date" value={expires} onChange={(e) => setExpires(e.target.value)} data-testid="consent-expires" />
            </label>
            <label className="field">
              <span className="field__label">The person types their name</span>
              <input className="input" value={signedName} onChange={(e) => setSignedName(e.target.value)} data-testid="consent-signed-name" />
            </label>
            <label className="field">
              <span className="field__label">Date</span>
              <input className="input" type="date" value={signedOn} onChange={(e) => setSignedOn(e.target.value)} data-testid="consent-date" />
            </label>
            <label className="field field--check">
              <input type="checkbox" checked={self} onChange={(e) => setSelf(e.target.checked)} /> This is me (my own likeness)
            </label>
            {capture?.voice && <p className="muted">Spoken in the recording: “{sentence}”</p>}
          </fieldset>
          {error && (
            <p className="error-text" role="alert" data-testid="cameo-error">
              {error}
            </p>
          )}
        </div>
      )}
    </Modal>
  );
}
