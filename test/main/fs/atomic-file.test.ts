import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../main/fs/atomic-file';
import { withTempDirs } from '../tls/tls-fixtures';

let dirs: Awaited<ReturnType<typeof withTempDirs>>;
beforeEach(async () => {
  dirs = await withTempDirs();
});
afterEach(async () => {
  await dirs.cleanup();
});

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temporary file', async () => {
    const dir = await dirs.make();
    const path = join(dir, 'data.json');
    await writeFile(path, 'old');
    expect(await writeFileAtomic(path, 'new')).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['data.json']);
  });

  it('creates private files by default', async () => {
    const path = join(await dirs.make(), 'secret');
    await writeFileAtomic(path, 'x');
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('lets exactly one of many exclusive writers win, and keeps its content', async () => {
    const dir = await dirs.make();
    const path = join(dir, 'key.pem');
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        writeFileAtomic(path, `writer ${index}`, { exclusive: true }),
      ),
    );
    const winners = outcomes.flatMap((won, index) => (won ? [index] : []));
    expect(winners).toHaveLength(1);
    expect(await readFile(path, 'utf8')).toBe(`writer ${winners[0]}`);
    expect(await readdir(dir)).toEqual(['key.pem']);
  });

  it('never replaces an existing file in exclusive mode', async () => {
    const path = join(await dirs.make(), 'cert.pem');
    await writeFile(path, 'original');
    expect(await writeFileAtomic(path, 'intruder', { exclusive: true })).toBe(false);
    expect(await readFile(path, 'utf8')).toBe('original');
  });

  it('creates a missing folder, private to its owner, for the file', async () => {
    const dir = await dirs.make();
    const path = join(dir, 'user-data', 'nested', 'settings.json');
    expect(await writeFileAtomic(path, '{}')).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('{}');
    if (process.platform !== 'win32') {
      expect((await stat(join(dir, 'user-data'))).mode & 0o777).toBe(0o700);
      expect((await stat(join(dir, 'user-data', 'nested'))).mode & 0o777).toBe(0o700);
    }
  });

  it('rejects a write it cannot finish, leaving what was there and no temporary file', async () => {
    const dir = await dirs.make();
    // A folder that is not empty cannot be replaced by a file: the final rename fails.
    const path = join(dir, 'taken');
    await mkdir(path);
    await writeFile(join(path, 'inside'), 'kept');
    await expect(writeFileAtomic(path, 'new')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['taken']);
    expect(await readFile(join(path, 'inside'), 'utf8')).toBe('kept');
  });

  it('rejects when the folder cannot be made, and writes nothing', async () => {
    const dir = await dirs.make();
    await writeFile(join(dir, 'a-file'), 'x');
    await expect(writeFileAtomic(join(dir, 'a-file', 'data.json'), '{}')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['a-file']);
  });

  it('goes on writing after a failed write', async () => {
    const dir = await dirs.make();
    const path = join(dir, 'data.json');
    await mkdir(join(path, 'blocker'), { recursive: true });
    await expect(writeFileAtomic(path, 'first')).rejects.toThrow();
    await rm(path, { recursive: true });
    expect(await writeFileAtomic(path, 'second')).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('second');
    expect(await readdir(dir)).toEqual(['data.json']);
  });
});
