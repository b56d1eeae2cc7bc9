/**
 * Writes that never leave a half-written file behind, for every file Parley keeps (certificates,
 * known rooms, settings, session snapshots): the data goes to a temporary file in the same
 * folder, is flushed to disk, then takes the final name in one step, and the folder is flushed
 * so the new name survives a power cut too. A reader sees either the old content or the new,
 * even if the process dies in between; a failed write removes its temporary file.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode of a newly created file. Default 0o600: everything Parley keeps is private. */
  mode?: number;
  /**
   * Do not replace an existing file. Resolves false (and writes nothing) when the name is taken,
   * which lets two processes race to create the same file and agree on one winner.
   */
  exclusive?: boolean;
  /** Mode of the folders created when the file's folder is missing. Default 0o700 (private). */
  directoryMode?: number;
}

const DEFAULTS: Required<AtomicWriteOptions> = {
  mode: 0o600,
  exclusive: false,
  directoryMode: 0o700,
};

// Errors from file systems without hard links (FAT, some network shares); rename still works there.
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Writes `data` to `path` atomically, creating its folder when missing; resolves false only for
 * an exclusive write that lost. Rejects with the file system's error otherwise.
 */
export async function writeFileAtomic(
  path: string,
  data: string,
  options: AtomicWriteOptions = {},
): Promise<boolean> {
  const { mode, exclusive, directoryMode } = { ...DEFAULTS, ...options };
  const directory = dirname(path);
  await mkdir(directory, { recursive: true, mode: directoryMode });
  const temporary = join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeDurably(temporary, data, mode);
    const published = exclusive
      ? await publishWithoutReplacing(temporary, path)
      : await rename(temporary, path).then(() => true);
    if (published) await syncDirectory(directory);
    return published;
  } finally {
    // After a rename there is nothing left to remove; after a link or a failure there is.
    await unlink(temporary).catch(() => undefined);
  }
}

async function writeDurably(file: string, data: string, mode: number): Promise<void> {
  // 'wx': the random name is ours alone; never write through someone else's file or link.
  const handle = await open(file, 'wx', mode);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
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

// Makes the new name itself durable. Windows cannot open a folder for syncing; there the rename
// is as durable as the OS makes it.
async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems refuse fsync on folders; the file content is already synced.
  }
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
