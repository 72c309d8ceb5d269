/**
 * Reading content credentials (C2PA) from a file: the manifest chain and the validation
 * result, for `shotline verify`, the media bin badge and the tests. Shotline trusts its own
 * installation root (and nothing else unless given anchors): a file it signed reads "Trusted"
 * here and "Valid" (signer not on a trust list) elsewhere.
 */
import fs from 'node:fs';
import { mimeOf } from '../../app/provenance/manifest.js';
import { c2pa } from './c2pa-wasm.js';

export interface ManifestSummary {
  label: string;
  title: string | null;
  claimGenerator: string | null;
  signer: string | null;
  signedAt: string | null;
  actions: { action: string; digitalSourceType?: string; description?: string; parameters?: Record<string, unknown> }[];
  ingredients: { title: string; relationship: string; label?: string; activeManifest?: string }[];
  assertions: string[];
}

export interface CredentialsReport {
  /** none: no manifest; Invalid: tampered or broken; Valid: intact, signer not trusted here; Trusted: intact and trusted. */
  state: 'none' | 'Invalid' | 'Valid' | 'Trusted';
  activeManifest: string | null;
  /** Active manifest first, then the ones it contains (its ingredients' own). */
  manifests: ManifestSummary[];
  failures: { code: string; explanation?: string }[];
}

type J = Record<string, any>;

function summarize(label: string, m: J): ManifestSummary {
  const actions: ManifestSummary['actions'] = [];
  const assertions: string[] = [];
  for (const a of (m.assertions ?? []) as J[]) {
    assertions.push(a.label);
    if (String(a.label).startsWith('c2pa.actions')) for (const act of a.data?.actions ?? []) actions.push({ action: act.action, ...(act.digitalSourceType ? { digitalSourceType: act.digitalSourceType } : {}), ...(act.description ? { description: act.description } : {}), ...(act.parameters ? { parameters: act.parameters } : {}) });
  }
  const gen = (m.claim_generator_info ?? [])[0];
  return {
    label,
    title: m.title ?? null,
    claimGenerator: gen ? `${gen.name}${gen.version ? ` ${gen.version}` : ''}` : (m.claim_generator ?? null),
    signer: m.signature_info?.common_name ?? m.signature_info?.issuer ?? null,
    signedAt: m.signature_info?.time ?? null,
    actions,
    ingredients: ((m.ingredients ?? []) as J[]).map((i) => ({ title: i.title, relationship: i.relationship, ...(i.label ? { label: i.label } : {}), ...(i.active_manifest ? { activeManifest: i.active_manifest } : {}) })),
    assertions,
  };
}

export async function readCredentialsFromBytes(bytes: Uint8Array, format: string, trustAnchorsPem: string[] = []): Promise<CredentialsReport> {
  const lib = await c2pa();
  const context = trustAnchorsPem.length ? JSON.stringify({ trust: { user_anchors: trustAnchorsPem.join('\n') } }) : undefined;
  let reader;
  try {
    reader = await lib.WasmReader.fromBytes(format, bytes, context);
  } catch (e) {
    const msg = String((e as Error)?.message ?? e);
    if (/JumbfNotFound|NotFound|no JUMBF|ProvenanceMissing/i.test(msg)) return { state: 'none', activeManifest: null, manifests: [], failures: [] };
    return { state: 'Invalid', activeManifest: null, manifests: [], failures: [{ code: 'read.error', explanation: msg }] };
  }
  try {
    const store = JSON.parse(reader.json()) as J;
    const active = store.active_manifest as string | undefined;
    const labels = Object.keys(store.manifests ?? {});
    const ordered = active ? [active, ...labels.filter((l) => l !== active)] : labels;
    const failures = ((store.validation_results?.activeManifest?.failure ?? []) as J[]).map((f) => ({ code: f.code, ...(f.explanation ? { explanation: f.explanation } : {}) }));
    const state = (store.validation_state as CredentialsReport['state']) ?? (failures.length ? 'Invalid' : 'Valid');
    return { state, activeManifest: active ?? null, manifests: ordered.map((l) => summarize(l, store.manifests[l])), failures };
  } finally {
    reader.free();
  }
}

export async function readCredentials(file: string, trustAnchorsPem: string[] = []): Promise<CredentialsReport> {
  return readCredentialsFromBytes(await fs.promises.readFile(file), mimeOf(file), trustAnchorsPem);
}

/** Human-readable report, as `shotline verify` prints it. */
export function formatReport(file: string, r: CredentialsReport): string {
  if (r.state === 'none') return `${file}: no content credentials (C2PA manifest) found.`;
  const lines = [`${file}: content credentials ${r.state === 'Trusted' ? 'valid, signer trusted' : r.state === 'Valid' ? 'valid (signature and hashes intact; signer not on a trust list this reader knows)' : 'INVALID'}`];
  for (const f of r.failures) if (r.state === 'Invalid' || f.code !== 'signingCredential.untrusted') lines.push(`  ! ${f.code}${f.explanation ? `: ${f.explanation}` : ''}`);
  r.manifests.forEach((m, i) => {
    lines.push(`${i === 0 ? 'Active manifest' : 'Ingredient manifest'} ${m.label}`);
    lines.push(`  title: ${m.title ?? '-'}   generator: ${m.claimGenerator ?? '-'}   signed by: ${m.signer ?? '-'}${m.signedAt ? ` at ${m.signedAt}` : ''}`);
    for (const a of m.actions) lines.push(`  action ${a.action}${a.digitalSourceType ? ` [${a.digitalSourceType.split('/').pop()}]` : ''}${a.description ? ` — ${a.description}` : ''}`);
    for (const ing of m.ingredients) lines.push(`  ingredient "${ing.title}" (${ing.relationship})${ing.activeManifest ? ` with its own manifest ${ing.activeManifest}` : ''}`);
  });
  return lines.join('\n');
}
