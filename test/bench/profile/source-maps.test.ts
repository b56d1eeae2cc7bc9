import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSourceMapResolver } from '../../../bench/profile/source-maps';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-bench-maps-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createSourceMapResolver', () => {
  it('maps a frame of a bundle back to the TypeScript line it came from', async () => {
    await writeFile(
      path.join(dir, 'helper.ts'),
      'export function fanOut(n: number): number {\n  return n * 2;\n}\n',
    );
    await writeFile(
      path.join(dir, 'entry.ts'),
      "import { fanOut } from './helper';\nconsole.log(fanOut(2));\n",
    );
    const bundle = path.join(dir, 'out.js');
    await build({
      entryPoints: [path.join(dir, 'entry.ts')],
      outfile: bundle,
      bundle: true,
      sourcemap: true,
      logLevel: 'silent',
    });

    const lines = (await readFile(bundle, 'utf8')).split('\n');
    const lineNumber = lines.findIndex((line) => line.includes('n * 2'));
    const columnNumber = lines[lineNumber]!.indexOf('n * 2');

    const resolve = createSourceMapResolver();
    const frame = {
      functionName: 'fanOut',
      url: pathToFileURL(bundle).href,
      lineNumber,
      columnNumber,
    };
    expect(resolve(frame)).toEqual({
      url: pathToFileURL(path.join(dir, 'helper.ts')).href,
      lineNumber: 1,
    });
  });

  it('leaves frames without a source map as they are', () => {
    const resolve = createSourceMapResolver();
    const frame = { functionName: 'emit', url: 'node:events', lineNumber: 3, columnNumber: 1 };
    expect(resolve(frame)).toBe(frame);
    const missing = {
      functionName: 'f',
      url: pathToFileURL(path.join(dir, 'none.js')).href,
      lineNumber: 0,
      columnNumber: 0,
    };
    expect(resolve(missing)).toBe(missing);
  });
});
