/**
 * Writes that never leave a half-written file behind: the data goes to a temporary file in the
 * same folder, is flushed to disk, then takes the final name in one step. A reader sees either
 * the old content or the new, even if the process dies in between.
 */
import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode of a newly created file. Default 0o600: everything Parley keeps is private. */
  mode?: number;
  /**
   * Do not replace an existing file. Resolves false (and writes nothing) when the name is taken,
   * which lets two processes race to create the same file and agree on one winner.
   */
  exclusive?: boolean;
}

const DEFAULTS: Required<AtomicWriteOptions> = { mode: 0o600, exclusive: false };

// Errors from file systems without hard links (FAT, some network shares); rename still works there.
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/** Writes `data` to `path` atomically; resolves false only for an exclusive write that lost. */
export async function writeFileAtomic(
  path: string,
  data: string,
  options: AtomicWriteOptions = {},
): Promise<boolean> {
  const { mode, exclusive } = { ...DEFAULTS, ...options };
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', mode);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (!exclusive) {
      await rename(temporary, path);
      return true;
    }
    return await publishWithoutReplacing(temporary, path);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function publishWithoutReplacing(temporary: string, path: string): Promise<boolean> {
  try {
    // link() fails with EEXIST instead of replacing, unlike rename().
    await link(temporary, path);
    return true;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return false;
    if (code === undefined || !NO_HARD_LINKS.has(code)) throw error;
  }
  if (await exists(path)) return false;
  await rename(temporary, path);
  return true;
}

async function exists(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'r');
    await handle.close();
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/** The `code` of a Node system error, if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
