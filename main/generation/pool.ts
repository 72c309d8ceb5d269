/**
 * Endpoint pools: endpoints sharing a `pool` name take work as one ("my ComfyUI box + the
 * render node"). Each take goes to the least-loaded healthy member, load being the member's
 * queued and running takes over its concurrency. A member whose last connection test failed
 * is tested again before it is skipped, so one that has come back is used again.
 */
import { ShotlineError } from '../../app/errors.js';
import { endpointResource } from '../../app/endpoints/types.js';
import type { Job } from '../../app/jobs/types.js';
import type { EndpointRow } from '../store/endpoint-rows.js';
import type { EndpointService } from '../endpoints/service.js';
import type { BackendInfo } from '../../app/generation/types.js';
import type { GenerationBackend } from '../../app/generation/backend.js';
import type { BackendProvider } from '../backends/provider.js';

export async function poolPicker(endpoints: EndpointService, pool: string, jobs: readonly Job[]): Promise<{ next(): EndpointRow }> {
  const members = endpoints.rows.list().filter((e) => e.pool?.toLowerCase() === pool.toLowerCase());
  if (!members.length) throw new ShotlineError('not_found', `There is no endpoint pool named "${pool}".`, 'Give endpoints the same pool name in Preferences → Endpoints.');
  // Unhealthy members get one more test now (cheap, and it is how a recovered one returns).
  await Promise.all(members.filter((m) => m.lastCheck && !m.lastCheck.ok).map((m) => endpoints.test(m.id)));
  const healthy = members.map((m) => endpoints.rows.get(m.id)!).filter((m) => !m.lastCheck || m.lastCheck.ok);
  if (!healthy.length)
    throw new ShotlineError('unsupported', `No member of the pool "${pool}" answers: ${members.map((m) => `${m.name}: ${endpoints.rows.get(m.id)?.lastCheck?.message ?? '?'}`).join('; ')}`, 'Start the servers or check their addresses, then generate again.');
  const load = new Map<string, number>();
  for (const m of healthy) load.set(m.id, jobs.filter((j) => (j.state === 'queued' || j.state === 'running') && j.resource === endpointResource(m.id)).length);
  return {
    next() {
      let best = healthy[0]!;
      for (const m of healthy) if (load.get(m.id)! / m.concurrency < load.get(best.id)! / best.concurrency) best = m;
      load.set(best.id, load.get(best.id)! + 1);
      return best;
    },
  };
}

/** `pool:<name>` entries for the backend list (so a pool can be chosen like one endpoint). */
export function poolProvider(endpoints: EndpointService, resolveMember: (backendId: string) => Promise<GenerationBackend>): BackendProvider {
  return {
    kind: 'pool',
    async list(): Promise<BackendInfo[]> {
      const pools = new Map<string, EndpointRow[]>();
      for (const e of endpoints.rows.list()) if (e.pool) pools.set(e.pool, [...(pools.get(e.pool) ?? []), e]);
      return [...pools].map(([name, members]) => {
        const healthy = members.filter((m) => !m.lastCheck || m.lastCheck.ok);
        const first = healthy[0] ?? members[0]!;
        return {
          id: `pool:${name}`,
          label: `Pool: ${name} (${healthy.length} of ${members.length} answering)`,
          model: { name: first.model ?? 'default', version: 'remote', displayName: members.map((m) => m.name).join(' + ') },
          capabilities: first.capabilities,
          status: healthy.length ? 'ready' : 'error',
          ...(healthy.length ? {} : { error: { code: 'unsupported' as const, message: `No member of the pool "${name}" answers.` } }),
          executionProvider: 'remote',
          pricePerSecond: first.pricePerSecond,
        };
      });
    },
    /** For planning and estimates: the least-loaded healthy member (takes are spread at start). */
    async resolve(id: string): Promise<GenerationBackend> {
      const member = (await poolPicker(endpoints, id.slice(5), [])).next();
      return resolveMember(`${member.kind}:${member.id}`);
    },
  };
}
