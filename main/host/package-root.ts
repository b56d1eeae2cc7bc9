import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';

const PACKAGE_NAME = 'parley';
/** Deep enough for any layout of this package (sources, dist/, an app bundle); bounds the walk. */
const MAX_LEVELS = 12;

const packageJsonSchema = v.looseObject({ name: v.optional(v.string()) });

/**
 * The folder holding this package's package.json, found by walking up from `fromUrl` (a module's
 * import.meta.url). Works from the sources, from the esbuild bundle in dist/, and from an app
 * archive. Undefined when no such folder exists.
 */
export function findPackageRoot(fromUrl: string = import.meta.url): string | undefined {
  let dir = path.dirname(fileURLToPath(fromUrl));
  for (let level = 0; level < MAX_LEVELS; level++) {
    if (isParleyPackage(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

function isParleyPackage(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    const parsed = v.safeParse(packageJsonSchema, JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success && parsed.output.name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** Where the built guest UI lives: dist/renderer of this package. */
export function defaultStaticDir(): string {
  const root = findPackageRoot() ?? process.cwd();
  return path.join(root, 'dist', 'renderer');
}
