/** The `endpoints` table of the app library: one row per configured remote server. No secrets here. */
import type Database from 'better-sqlite3';
import type { Endpoint, EndpointCapabilities, EndpointCheck, EndpointKind, EndpointOptions } from '../../app/endpoints/types.js';

/** An endpoint as stored (the key's presence is the keychain's business, not the row's). */
export type EndpointRow = Omit<Endpoint, 'hasKey' | 'keySource' | 'keyEnvVar'>;

interface Raw {
  id: string; name: string; kind: string; base_url: string; model: string | null; concurrency: number;
  price_per_second: number | null; pool: string | null; options: string; capabilities: string;
  last_check: string | null; created_at: string; updated_at: string;
}

function fromRaw(r: Raw): EndpointRow {
  return {
    id: r.id, name: r.name, kind: r.kind as EndpointKind, baseUrl: r.base_url, model: r.model, concurrency: r.concurrency,
    pricePerSecond: r.price_per_second, pool: r.pool, options: JSON.parse(r.options) as EndpointOptions,
    capabilities: JSON.parse(r.capabilities) as EndpointCapabilities, lastCheck: r.last_check ? (JSON.parse(r.last_check) as EndpointCheck) : null,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export class EndpointRows {
  constructor(private readonly db: Database.Database) {}

  list(): EndpointRow[] {
    return (this.db.prepare('SELECT * FROM endpoints ORDER BY name COLLATE NOCASE').all() as Raw[]).map(fromRaw);
  }

  get(id: string): EndpointRow | null {
    const r = this.db.prepare('SELECT * FROM endpoints WHERE id = ?').get(id) as Raw | undefined;
    return r ? fromRaw(r) : null;
  }

  byName(name: string): EndpointRow | null {
    const r = this.db.prepare('SELECT * FROM endpoints WHERE name = ? COLLATE NOCASE').get(name) as Raw | undefined;
    return r ? fromRaw(r) : null;
  }

  put(e: EndpointRow): void {
    this.db
      .prepare(
        `INSERT INTO endpoints (id, name, kind, base_url, model, concurrency, price_per_second, pool, options, capabilities, last_check, created_at, updated_at)
         VALUES (@id, @name, @kind, @baseUrl, @model, @concurrency, @pricePerSecond, @pool, @options, @capabilities, @lastCheck, @createdAt, @updatedAt)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, base_url = excluded.base_url, model = excluded.model,
           concurrency = excluded.concurrency, price_per_second = excluded.price_per_second, pool = excluded.pool, options = excluded.options,
           capabilities = excluded.capabilities, last_check = excluded.last_check, updated_at = excluded.updated_at`,
      )
      .run({
        ...e,
        options: JSON.stringify(e.options),
        capabilities: JSON.stringify(e.capabilities),
        lastCheck: e.lastCheck ? JSON.stringify(e.lastCheck) : null,
      });
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM endpoints WHERE id = ?').run(id).changes > 0;
  }
}
