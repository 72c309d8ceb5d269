/** Generation: backend interface, request schema and validation, cache key. Pure. */
export * from './types.js';
export * from './backend.js';
export * from './request.js';
export * from './api.js';
export { sha256Hex, utf8 } from '../util/sha256.js';
