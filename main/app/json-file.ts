/**
 * Small private JSON files in the user data directory. Reads never throw (a missing, unreadable,
 * oversized or corrupt file reads as nothing); writes are atomic (temporary file, fsync, rename),
 * so a crash mid-write leaves the previous file whole, and the file is readable by its owner only.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** The parsed content of `file`, or undefined when there is none worth reading. */
export async function readJsonFile(file: string, maxBytes: number): Promise<unknown> {
  try {
    if ((await stat(file)).size > maxBytes) return undefined;
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Replaces `file` with `value` as JSON, all at once; creates its directory when missing. */
export async function writeJsonFile(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
