#!/usr/bin/env node
// The package's `concord` command: runs the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/concord.ts');
