#!/usr/bin/env node
// `npx parley host|join`: runs the built CLI (npm ci builds it through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli/parley.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('parley: the CLI is not built yet; run `npm run build` first');
  process.exit(2);
}
await import(cli.href);
