#!/usr/bin/env node
// The `shotline` command. The services are TypeScript run through tsx, so the CLI,
// the studio server and the tests all execute the very same sources.
import { register } from 'tsx/esm/api';

register();
await import('../main/cli/main.ts');
