import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultStaticDir, findPackageRoot } from '../../../main/host/package-root';
import { tempDir } from './helpers/host';

describe('findPackageRoot', () => {
  it('finds this package from its own sources', () => {
    const root = findPackageRoot();
    expect(root).toBe(path.resolve(import.meta.dirname, '../../..'));
    expect(defaultStaticDir()).toBe(path.join(root!, 'dist', 'renderer'));
  });

  it('walks up past other packages to the one named parley, as from a bundle in dist/', async () => {
    const root = await tempDir();
    await writeFile(path.join(root, 'package.json'), JSON.stringify({ name: 'parley' }));
    await mkdir(path.join(root, 'dist', 'cli'), { recursive: true });
    await writeFile(path.join(root, 'dist', 'package.json'), JSON.stringify({ name: 'other' }));
    await writeFile(path.join(root, 'dist', 'cli', 'package.json'), '{ not json');
    const from = pathToFileURL(path.join(root, 'dist', 'cli', 'parley.js')).href;
    expect(findPackageRoot(from)).toBe(root);
  });

  it('returns undefined when no parley package is above', async () => {
    const root = await tempDir();
    expect(findPackageRoot(pathToFileURL(path.join(root, 'x.js')).href)).toBeUndefined();
  });
});
