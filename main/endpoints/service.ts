/**
 * Endpoints: add / test / edit / remove remote generation servers (rows in the app library)
 * and hand their keys to the backends. A key given to `add`/`update` goes straight to the
 * secret store (the OS keychain) under `endpoint:<id>`; where no keychain exists it is refused
 * with the environment-variable fallback spelled out. Nothing here returns a key.
 */
import { randomBytes } from 'node:crypto';
import type { EndpointAddInput, EndpointTestResult, EndpointUpdateInput } from '../../app/api/endpoints.js';
import { protocolDefaults } from '../../app/endpoints/capabilities.js';
import { endpointKeyEnvVar, SPEECH_ENDPOINT_KINDS, type Endpoint, type EndpointCapabilities, type EndpointKind } from '../../app/endpoints/types.js';
import { ShotlineError } from '../../app/errors.js';
import type { LibraryStore } from '../store/library-store.js';
import { EndpointRows, type EndpointRow } from '../store/endpoint-rows.js';
import { secrets } from '../secrets/store.js';

/** What a kind's tester reports: the server answered (or why not) and what it can make. */
export interface ProbeResult {
  message: string;
  capabilities: EndpointCapabilities | null;
}
export type EndpointProbe = (endpoint: EndpointRow, apiKey: string | null, signal: AbortSignal) => Promise<ProbeResult>;

const TEST_TIMEOUT_MS = 15_000;

export class EndpointService {
  readonly rows: EndpointRows;
  private readonly probes = new Map<string, EndpointProbe>();
  private readonly describers = new Map<string, (row: EndpointRow) => EndpointCapabilities>();
  private readonly listeners = new Set<() => void>();

  constructor(library: LibraryStore) {
    this.rows = new EndpointRows(library.db);
  }

  /** Each backend kind registers how to test a server of its kind. */
  setProbe(kind: string, probe: EndpointProbe): void {
    this.probes.set(kind, probe);
  }

  /**
   * A kind whose capabilities follow from its settings (ComfyUI: the workflow's mapping)
   * registers how to read them; add/update then refuse settings that do not load.
   */
  setDescriber(kind: string, describe: (row: EndpointRow) => EndpointCapabilities): void {
    this.describers.set(kind, describe);
  }

  private described(row: EndpointRow): EndpointRow {
    const d = this.describers.get(row.kind);
    return d ? { ...row, capabilities: d(row) } : row;
  }

  /** Called after every change (the pool and providers drop cached clients). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): Endpoint[] {
    return this.rows.list().map((r) => this.view(r));
  }

  get(id: string): Endpoint {
    return this.view(this.require(id));
  }

  require(id: string): EndpointRow {
    const r = this.rows.get(id);
    if (!r) throw new ShotlineError('not_found', 'That endpoint is no longer configured.', 'Add it again in Preferences → Endpoints.');
    return r;
  }

  /** The key for an endpoint: the keychain's, else SHOTLINE_ENDPOINT_KEY_<NAME>, else null. Main-side only. */
  apiKey(e: Pick<EndpointRow, 'id' | 'name'>): string | null {
    return secrets().get(secretName(e.id)) ?? process.env[endpointKeyEnvVar(e.name)] ?? null;
  }

  private view(r: EndpointRow): Endpoint {
    const inStore = secrets().get(secretName(r.id)) !== null;
    const inEnv = !!process.env[endpointKeyEnvVar(r.name)];
    return { ...r, hasKey: inStore || inEnv, keySource: inStore ? 'keychain' : inEnv ? 'environment' : null, keyEnvVar: endpointKeyEnvVar(r.name) };
  }

  add(input: EndpointAddInput): Endpoint {
    this.assertFreeName(input.name, null);
    assertPoolable(input.kind, input.pool ?? null);
    const t = new Date().toISOString();
    const row: EndpointRow = this.described({
      id: `ep_${randomBytes(6).toString('hex')}`,
      name: input.name,
      kind: input.kind,
      baseUrl: input.baseUrl,
      model: input.model ?? null,
      concurrency: input.concurrency ?? (input.kind === 'comfyui' ? 1 : 2),
      pricePerSecond: input.pricePerSecond ?? null,
      pool: input.pool ?? null,
      options: input.options ?? {},
      capabilities: protocolDefaults(input.kind),
      lastCheck: null,
      createdAt: t,
      updatedAt: t,
    });
    // The key first: if the keychain refuses it, no row is left behind.
    if (input.apiKey) this.storeKey(row, input.apiKey);
    this.rows.put(row);
    this.changed();
    return this.view(row);
  }

  update(input: EndpointUpdateInput): Endpoint {
    const cur = this.require(input.id);
    if (input.name !== undefined) this.assertFreeName(input.name, cur.id);
    const next: EndpointRow = this.described({
      ...cur,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.kind !== undefined ? { kind: input.kind, capabilities: input.kind !== cur.kind ? protocolDefaults(input.kind) : cur.capabilities } : {}),
      ...(input.baseUrl !== undefined ? { baseUrl: input.baseUrl } : {}),
      ...(input.model !== undefined ? { model: input.model } : {}),
      ...(input.concurrency !== undefined ? { concurrency: input.concurrency } : {}),
      ...(input.pricePerSecond !== undefined ? { pricePerSecond: input.pricePerSecond } : {}),
      ...(input.pool !== undefined ? { pool: input.pool } : {}),
      ...(input.options !== undefined ? { options: input.options } : {}),
      updatedAt: new Date().toISOString(),
    });
    assertPoolable(next.kind, next.pool);
    // A new address or model may mean other capabilities: the last test no longer holds.
    if (next.baseUrl !== cur.baseUrl || next.model !== cur.model) next.lastCheck = null;
    if (input.apiKey === null) secrets().delete(secretName(cur.id));
    else if (input.apiKey !== undefined) this.storeKey(next, input.apiKey);
    this.rows.put(next);
    this.changed();
    return this.view(next);
  }

  remove(id: string): null {
    const cur = this.require(id);
    secrets().delete(secretName(cur.id));
    this.rows.delete(cur.id);
    this.changed();
    return null;
  }

  /** Reach the server with its key; on success store the capabilities it reported. */
  async test(id: string): Promise<EndpointTestResult> {
    const row = this.require(id);
    const probe = this.probes.get(row.kind);
    if (!probe) throw new ShotlineError('unsupported', `Shotline cannot talk to ${row.kind} endpoints yet.`);
    const t0 = performance.now();
    let result: EndpointTestResult;
    let caps: EndpointCapabilities | null = null;
    try {
      const r = await probe(row, this.apiKey(row), AbortSignal.timeout(TEST_TIMEOUT_MS));
      caps = r.capabilities;
      result = { ok: true, message: r.message, latencyMs: Math.round(performance.now() - t0) };
    } catch (e) {
      const msg = e instanceof ShotlineError ? [e.message, e.hint].filter(Boolean).join(' ') : e instanceof Error ? e.message : String(e);
      result = { ok: false, message: msg, latencyMs: null };
    }
    const fresh = this.rows.get(id);
    if (fresh) {
      this.rows.put({ ...fresh, ...(caps ? { capabilities: caps } : {}), lastCheck: { at: new Date().toISOString(), ...result } });
      this.changed();
    }
    return result;
  }

  private storeKey(row: Pick<EndpointRow, 'id' | 'name'>, key: string): void {
    const store = secrets();
    try {
      store.set(secretName(row.id), key);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new ShotlineError(
        'unsupported',
        `The API key for "${row.name}" was not saved: ${why}`,
        `Without a keychain, give the key in the environment that starts Shotline instead: ${endpointKeyEnvVar(row.name)}=<key>. Keys are never written to Shotline's database.`,
      );
    }
  }

  private assertFreeName(name: string, selfId: string | null): void {
    const other = this.rows.byName(name);
    if (other && other.id !== selfId) throw new ShotlineError('invalid_input', `There is already an endpoint named "${other.name}".`, 'Pick another name.');
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

/** Pools share video work; a speech endpoint makes none, so it joins none. */
function assertPoolable(kind: string, pool: string | null): void {
  if (pool && SPEECH_ENDPOINT_KINDS.includes(kind as EndpointKind))
    throw new ShotlineError('invalid_input', 'A speech endpoint cannot join a pool.', 'Pools share video generation; leave the pool empty for a speech endpoint.');
}

function secretName(id: string): string {
  return `endpoint:${id}`;
}
