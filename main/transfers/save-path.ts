/**
 * Where a downloaded file goes in a folder: its name as the host gave it, made safe for any file
 * system (no folders, no control or reserved characters, no reserved Windows names, at most 200
 * characters), and never over an existing file: `name (1).ext`, `name (2).ext`, ...
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { partPathOf } from './download-file';

const MAX_NAME_LENGTH = 200;
const MAX_TRIES = 1000;
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f<>:"/\\|?*]/g;
const RESERVED_WINDOWS_NAME = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/** `name` as a safe file name (never empty). */
export function safeFileName(name: string): string {
  const last = name.split(/[/\\]/).at(-1) ?? '';
  let safe = last.replace(UNSAFE_CHARACTERS, '_').replace(/^[.\s]+|[.\s]+$/g, '');
  if (RESERVED_WINDOWS_NAME.test(safe)) safe = `_${safe}`;
  if (safe.length > MAX_NAME_LENGTH) {
    const extension = extname(safe).slice(0, 20);
    safe = `${[...safe.slice(0, MAX_NAME_LENGTH - extension.length)].join('')}${extension}`;
  }
  return safe || 'download';
}

/**
 * A path in `dir` for `name` that no file takes yet (neither a finished file nor another
 * download's part file), unless `resume` finds a part file of exactly this name to continue.
 */
export async function savePathIn(dir: string, name: string, resume = true): Promise<string> {
  const safe = safeFileName(name);
  const extension = extname(safe);
  const stem = safe.slice(0, safe.length - extension.length) || safe;
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const path = join(dir, tries === 0 ? safe : `${stem} (${tries})${extension}`);
    const taken = await exists(path);
    if (!taken && resume && (await exists(partPathOf(path)))) return path;
    if (!taken && !(await exists(partPathOf(path)))) return path;
  }
  return join(dir, `${stem} (${Date.now()})${extension}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}
