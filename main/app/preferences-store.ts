/**
 * The start screen's remembered values, kept as a small JSON file in the user data directory.
 * Reads never fail: a missing, unreadable or corrupt file gives the defaults (keeping any field
 * that is still valid). Writes are atomic (temp file, fsync, rename), so a crash mid-write
 * leaves the previous file intact rather than half a file.
 */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import * as v from 'valibot';
import { preferencesSchema, type Preferences } from '../../protocol/bridge';
import { DEFAULT_PORT } from '../../protocol/limits';

export const DEFAULT_PREFERENCES: Readonly<Preferences> = Object.freeze({
  name: '',
  roomName: 'Parley',
  address: '',
  port: DEFAULT_PORT,
});

export interface PreferencesStoreOptions {
  /** Directory holding the file (Electron's userData). Created on first save. */
  dir: string;
  fileName?: string;
  /** Values used where the file has none, over DEFAULT_PREFERENCES (e.g. the OS user name). */
  defaults?: Partial<Preferences>;
}

export interface PreferencesStore {
  readonly file: string;
  load(): Promise<Preferences>;
  save(preferences: Preferences): Promise<void>;
}

const fileObjectSchema = v.record(v.string(), v.unknown());

/** Each field of `raw` that passes its schema, over the defaults; everything else is dropped. */
function salvage(raw: unknown, defaults: Preferences): Preferences {
  const fields = v.safeParse(fileObjectSchema, raw);
  if (!fields.success) return { ...defaults };
  const result: Preferences = { ...defaults };
  for (const key of Object.keys(preferencesSchema.entries) as (keyof Preferences)[]) {
    const field = v.safeParse(preferencesSchema.entries[key], fields.output[key]);
    if (field.success) Object.assign(result, { [key]: field.output });
  }
  return result;
}

export function createPreferencesStore(options: PreferencesStoreOptions): PreferencesStore {
  const { dir, fileName, defaults } = { fileName: 'preferences.json', defaults: {}, ...options };
  const file = path.join(dir, fileName);
  const fallback = salvage(defaults, { ...DEFAULT_PREFERENCES });
  // Saves run one after another, so the last call's values are the ones left on disk.
  let queue: Promise<void> = Promise.resolve();

  async function load(): Promise<Preferences> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return { ...fallback };
    }
    try {
      return salvage(JSON.parse(text), fallback);
    } catch {
      return { ...fallback };
    }
  }

  async function write(preferences: Preferences): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(preferences, null, 2)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async function save(preferences: Preferences): Promise<void> {
    const valid = v.parse(preferencesSchema, preferences);
    const next = queue.then(() => write(valid));
    queue = next.catch(() => undefined);
    return next;
  }

  return { file, load, save };
}
