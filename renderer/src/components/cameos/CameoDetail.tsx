/** One cameo: stills, voice with its waveform, the consent record, the use log, share and revoke. */
import { useEffect, useState } from 'react';
import type { CameoSummary } from '@app/cameos/types';
import type { CameoDetail as Detail } from '@app/api/cameos';
import { coversText } from '@app/cameos/consent';
import { api } from '../../client';
import { cameoBlob, cameoDetail, cameoMedia, loadCameos, revokeCameo } from '../../actions/cameos';
import { CameoPoster, StatusChip } from './CameoBadges';
import { VoicePlayer } from './VoicePlayer';

const AUDIENCE: Record<string, string> = { 'only-me': 'Only the owner', collaborators: 'The owner and named collaborators', 'anyone-shared': 'The owner and anyone they share it with' };

function Stills({ cameo }: { cameo: CameoSummary }) {
  const count = cameo.media.filter((m) => m.role === 'still').length;
  const [urls, setUrls] = useState<(string | null)[]>([]);
  useEffect(() => {
    void Promise.all(Array.from({ length: count }, (_, i) => cameoMedia(cameo.id, 'still', i))).then(setUrls);
  }, [cameo.id, count]);
  if (!count) return <p className="muted">{cameo.state === 'revoked' ? 'Media deleted at revoke.' : 'No stills.'}</p>;
  return (
    <div className="cameo-stills" data-testid="cameo-stills">
      {urls.map((u, i) => (u ? <img key={i} src={u} alt={`Reference still ${i + 1}`} /> : <span key={i} className="cameo-poster--empty" />))}
    </div>
  );
}

function ShareRow({ cameo }: { cameo: CameoSummary }) {
  const [path, setPath] = useState('');
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => {
    void api()
      .call('fs.list', {})
      .then((d) => setPath(`${d.path}/${cameo.handle}.shotlinecameo`))
      .catch(() => {});
  }, [cameo.handle]);
  async function share() {
    try {
      const r = await api().call('cameos.exportBundle', { id: cameo.id, outPath: path });
      setMsg(`Saved ${r.outPath} (${Math.round(r.bytes / 1024)} KB), signed with this install's key.`);
    } catch (e) {
      setMsg(e instanceof Error ? e.message : String(e));
    }
  }
  return (
    <div className="cameo-share">
      <label className="field">
        <span className="field__label">Share as a bundle file</span>
        <input className="input input--sm" value={path} onChange={(e) => setPath(e.target.value)} aria-label="Bundle file path" />
      </label>
      <button type="button" className="btn" onClick={() => void share()} disabled={!path}>
        Share…
      </button>
      {msg && <p className="muted">{msg}</p>}
    </div>
  );
}

function RevokeRow({ cameo }: { cameo: CameoSummary }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [msg, setMsg] = useState<string | null>(null);
  async function revoke() {
    try {
      const r = await revokeCameo(cameo.id, reason);
      const remote = [...r.remoteCopies.map((c) => `${c.endpointName} keeps character ${c.characterId}: ${c.note}`), ...r.remoteFiles.map((f) => `${f.endpointName}${f.baseUrl ? ` (${f.baseUrl})` : ''} keeps ${f.files.length ? f.files.join(', ') : 'the files it was sent'}: ${f.note}`)].join(' ');
      setMsg(`Revoked. ${r.deletedFiles} file(s) deleted; ${r.markedTakes} take(s) in this project marked. Other projects are marked when opened. ${remote}`);
      setOpen(false);
    } catch (e) {
      setMsg(e instanceof Error ? e.message : String(e));
    }
  }
  if (cameo.state === 'revoked')
    return (
      <div className="cameo-revoke">
        <p className="cameo-revoked-note">
          Revoked {cameo.revokedAt?.slice(0, 10)}
          {cameo.revokedReason ? `: ${cameo.revokedReason}` : ''}. Its media are deleted; takes that used it are marked and cannot be exported.
        </p>
        {msg && (
          <p className="muted" data-testid="cameo-revoke-result">
            {msg}
          </p>
        )}
      </div>
    );
  return (
    <div className="cameo-revoke">
      {!open ? (
        <button type="button" className="btn btn--danger" onClick={() => setOpen(true)} data-testid="cameo-revoke">
          Revoke…
        </button>
      ) : (
        <div className="cameo-revoke__confirm" role="group" aria-label="Confirm revoke">
          <p>Revoking deletes this cameo's media from the library, marks every take that used it, and stops exports that contain them. Characters made on /v1/videos servers, and stills or voice samples sent to ComfyUI servers, cannot be deleted there (neither has a delete); the result names those servers.</p>
          <input className="input input--sm" placeholder="Reason (optional)" value={reason} onChange={(e) => setReason(e.target.value)} aria-label="Reason" data-testid="cameo-revoke-reason" />
          <button type="button" className="btn btn--danger" onClick={() => void revoke()} data-testid="cameo-revoke-confirm">
            Revoke {cameo.name}
          </button>
          <button type="button" className="btn btn--ghost" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </div>
      )}
      {msg && <p className="muted" data-testid="cameo-revoke-result">{msg}</p>}
    </div>
  );
}

export function CameoDetail({ cameo }: { cameo: CameoSummary }) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [voice, setVoice] = useState<{ url: string; bytes: Uint8Array } | null>(null);
  useEffect(() => {
    void cameoDetail(cameo.id).then(setDetail);
  }, [cameo.id, cameo.state, cameo.useCount]);
  useEffect(() => {
    let made: { url: string } | null = null;
    if (cameo.parts.voice && cameo.state === 'active')
      void cameoBlob(cameo.id, 'voice').then((v) => {
        made = v;
        setVoice(v);
      });
    else setVoice(null);
    return () => {
      if (made) URL.revokeObjectURL(made.url);
    };
  }, [cameo.id, cameo.state, cameo.parts.voice]);
  const c = cameo.consent;
  const voiceMeta = cameo.media.find((m) => m.role === 'voice')?.meta;
  return (
    <aside className="cameo-detail" aria-label={`Cameo ${cameo.name}`} data-testid="cameo-detail">
      <header className="cameo-detail__head">
        <CameoPoster id={cameo.id} name={cameo.name} />
        <div>
          <h2 className="cameo-detail__name">{cameo.name}</h2>
          <div className="muted">
            @{cameo.handle} · {cameo.origin === 'imported' ? `shared by ${c.owner.name}` : 'yours'}
          </div>
          <StatusChip c={cameo} />
        </div>
      </header>
      <div className="cameo-detail__scroll">
        {cameo.description && <p className="cameo-detail__desc">{cameo.description}</p>}
        {cameo.tags.length > 0 && (
          <p className="cameo-detail__tags" data-testid="cameo-tags">
            {cameo.tags.map((t) => (
              <span key={t} className="chip">
                {t}
              </span>
            ))}
          </p>
        )}
        <h3 className="section-title">Stills</h3>
        <Stills cameo={cameo} />
        {cameo.parts.voice && (
          <>
            <h3 className="section-title">Voice</h3>
            {voice ? (
              <div className="cameo-voice">
                <VoicePlayer url={voice.url} bytes={voice.bytes} />
                <span className="muted">
                  {voiceMeta?.seconds?.toFixed(1)} s{voiceMeta?.lufs !== undefined ? ` · ${voiceMeta.lufs.toFixed(1)} LUFS` : ''}
                </span>
              </div>
            ) : (
              <p className="muted">Voice sample deleted.</p>
            )}
          </>
        )}
        <h3 className="section-title">Consent</h3>
        <dl className="cameo-consent" data-testid="cameo-consent">
          <dt>Who appears</dt>
          <dd>{c.subject}</dd>
          <dt>Who may use it</dt>
          <dd>
            {AUDIENCE[c.audience]}
            {c.owner.name ? ` (${c.owner.name})` : ''}
            {c.collaborators.length ? `: ${c.collaborators.join(', ')}` : ''}
          </dd>
          <dt>Covers</dt>
          <dd>{coversText(c.covers)}</dd>
          <dt>Expires</dt>
          <dd>{c.expiresOn ?? 'Never'}</dd>
          <dt>Signed</dt>
          <dd>
            {c.signedName}, {c.signedOn}
          </dd>
          {c.spokenSentence && (
            <>
              <dt>Spoken</dt>
              <dd>“{c.spokenSentence}”</dd>
            </>
          )}
          <dt>Record</dt>
          <dd className="mono">{c.id}</dd>
          <dt>Media</dt>
          <dd className="mono">{c.media.map((m) => `${m.role} ${m.sha256.slice(0, 10)}…`).join(' · ')}</dd>
        </dl>
        <h3 className="section-title">Use log</h3>
        {detail?.uses.length ? (
          <table className="cameo-uses" data-testid="cameo-use-log">
            <thead>
              <tr>
                <th>When</th>
                <th>Project</th>
                <th>Shot / take</th>
                <th>Where</th>
              </tr>
            </thead>
            <tbody>
              {detail.uses.map((u) => (
                <tr key={u.id}>
                  <td>{u.at.slice(0, 16).replace('T', ' ')}</td>
                  <td title={u.projectDir}>{u.projectName}</td>
                  <td>{[u.shotTitle, u.takeLabel].filter(Boolean).join(' · ')}</td>
                  <td>
                    {u.endpoint} ({u.purpose}, {u.part})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">Not used yet.</p>
        )}
        {detail?.remote.length ? <p className="muted">Characters on: {detail.remote.map((r) => `${r.endpointName} (${r.characterId})`).join(', ')} — these servers cannot delete them.</p> : null}
        {cameo.state === 'active' && cameo.origin === 'created' && <ShareRow cameo={cameo} />}
        <RevokeRow cameo={cameo} />
      </div>
    </aside>
  );
}

export { loadCameos };
