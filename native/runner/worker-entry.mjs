// Bootstrap of the inference worker (plain .mjs so Node starts it without a loader): registers
// tsx in this thread, then runs worker.ts. Loader hooks are per thread, so the worker needs
// its own registration whether the parent runs under tsx, vitest or plain node.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
