/**
 * What a remote endpoint's backend reports about itself (the Preferences list, the prompt
 * panel's picker): the same for every kind of remote endpoint, so it lives once here. An
 * endpoint whose last connection test failed reports that failure as its status.
 */
import type { EndpointCapabilities } from '../../app/endpoints/types.js';
import type { BackendInfo, BackendModelInfo } from '../../app/generation/types.js';
import type { EndpointRow } from '../store/endpoint-rows.js';

export interface RemoteBackendFacts {
  id: string;
  label: string;
  model: BackendModelInfo;
  capabilities: EndpointCapabilities;
  endpoint: EndpointRow;
}

export function remoteBackendInfo(b: RemoteBackendFacts): BackendInfo {
  const failed = b.endpoint.lastCheck && !b.endpoint.lastCheck.ok ? b.endpoint.lastCheck : null;
  return {
    id: b.id,
    label: b.label,
    model: b.model,
    capabilities: b.capabilities,
    status: failed ? 'error' : 'ready',
    ...(failed ? { error: { code: 'unsupported', message: failed.message } } : {}),
    executionProvider: 'remote',
    location: b.endpoint.baseUrl,
    pricePerSecond: b.endpoint.pricePerSecond,
  };
}
