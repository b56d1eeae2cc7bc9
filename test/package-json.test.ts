/**
 * package.json tells the truth about Node: every version its `engines` allows is one every
 * installed package accepts, so `npm ci` on a supported Node warns about nothing. (The terminal
 * CLI and the host also run on Node 20.19+; they use nothing newer, as @types/node 20 checks.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// semver is npm's own range logic (electron-builder depends on it).
const semver = require('semver') as {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
  validRange(range: string): string | null;
};

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }>;
};

/** The lowest version of each `||` branch of a range: where a mismatch would show first. */
function floors(range: string): string[] {
  return range.split('||').map((part) => semver.minVersion(part.trim())!.version);
}

describe('package.json engines', () => {
  it('allows only Node versions every installed package accepts', () => {
    expect(semver.validRange(pkg.engines.node)).not.toBeNull();
    const refusals: string[] = [];
    for (const [location, info] of Object.entries(lock.packages)) {
      const wanted = Array.isArray(info.engines) ? undefined : info.engines?.node;
      if (!location || !wanted) continue;
      // A platform's optional build that npm did not install here (sharp's win32-ia32 one says
      // ^20.9.0 only) is never loaded on this machine; its own platform's users get its checks.
      if (info.optional && !existsSync(new URL(location, root))) continue;
      for (const version of floors(pkg.engines.node)) {
        if (!semver.satisfies(version, wanted))
          refusals.push(`${location} wants ${wanted}, not ${version}`);
      }
    }
    expect(refusals).toEqual([]);
  });
});
