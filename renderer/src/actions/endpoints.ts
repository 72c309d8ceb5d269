/** Remote generation endpoints (Preferences → Endpoints). Keys go in, never come back. */
import type { MethodInput, MethodResult } from '@app/api/contract';
import { api } from '../client';

export const listEndpoints = (): Promise<MethodResult<'endpoints.list'>> => api().call('endpoints.list', {});
export const addEndpoint = (input: MethodInput<'endpoints.add'>): Promise<MethodResult<'endpoints.add'>> => api().call('endpoints.add', input);
export const updateEndpoint = (input: MethodInput<'endpoints.update'>): Promise<MethodResult<'endpoints.update'>> => api().call('endpoints.update', input);
export const removeEndpoint = (id: string): Promise<MethodResult<'endpoints.remove'>> => api().call('endpoints.remove', { id });
export const testEndpoint = (id: string): Promise<MethodResult<'endpoints.test'>> => api().call('endpoints.test', { id });
