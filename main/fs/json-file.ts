/**
 * Small private JSON files in the user data directory. Reads never throw (a missing, unreadable,
 * oversized or corrupt file reads as nothing); writes go through writeFileAtomic, so a crash
 * mid-write leaves the previous file whole, and the file is readable by its owner only.
 */
import { readFile, stat } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-file';

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
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}
