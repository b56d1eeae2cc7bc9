/**
 * The data folder of `parley host` (history and certificate), made ready before anything is
 * written to it. Missing folders are created one level at a time: Node 20's recursive mkdir never
 * returns for some paths (under /proc it spins at full CPU and the process ignores signals).
 * A folder this start created is removed again when the host does not start after all (a port in
 * use), so a failed start leaves nothing behind.
 */
import { constants } from 'node:fs';
import { access, mkdir, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as v from 'valibot';
import { CliProblem } from './usage-error';

export interface DataFolder {
  /** The folder, absolute. */
  readonly dir: string;
  /** Removes the folder with what is in it, if this start created it; otherwise does nothing. */
  discardIfNew(): Promise<void>;
}

const codedSchema = v.object({ code: v.string() });

/** Throws CliProblem (exit code 2) with one line naming the folder. */
export async function prepareDataFolder(given: string): Promise<DataFolder> {
  const dir = resolve(given);
  const missing = await missingFolders(dir);
  const created: string[] = [];
  const discard = async () => {
    if (created[0] !== undefined) await rm(created[0], { recursive: true, force: true });
  };
  try {
    for (const folder of missing) {
      try {
        await mkdir(folder, { mode: 0o700 });
        created.push(folder);
      } catch (error) {
        // Another host starting at the same moment made it first: it is not ours to discard.
        if (codeOf(error) !== 'EEXIST' || !(await stat(folder)).isDirectory()) throw error;
      }
    }
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    await discard().catch(() => undefined);
    throw unusable(dir, reason(error));
  }
  return { dir, discardIfNew: discard };
}

/** The folders to create, outermost first; throws when something in the way is not a folder. */
async function missingFolders(dir: string): Promise<string[]> {
  const missing: string[] = [];
  for (let folder = dir; ; folder = dirname(folder)) {
    try {
      const info = await stat(folder);
      if (!info.isDirectory()) {
        throw unusable(dir, folder === dir ? 'it is not a folder' : `${folder} is not a folder`);
      }
      return missing;
    } catch (error) {
      if (error instanceof CliProblem) throw error;
      if (codeOf(error) !== 'ENOENT' || dirname(folder) === folder) {
        throw unusable(dir, reason(error));
      }
      missing.unshift(folder);
    }
  }
}

function unusable(dir: string, why: string): CliProblem {
  return new CliProblem(`cannot open the history and certificate folder ${dir}: ${why}`);
}

function codeOf(error: unknown): string | undefined {
  const coded = v.safeParse(codedSchema, error);
  return coded.success ? coded.output.code : undefined;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'it cannot be created there',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'part of the path is not a folder',
  ENOSPC: 'the disk is full',
};

function reason(error: unknown): string {
  const code = codeOf(error);
  if (code !== undefined && REASONS[code]) return REASONS[code];
  return error instanceof Error ? error.message : String(error);
}
