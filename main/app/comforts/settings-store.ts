/**
 * The user's settings, kept as one JSON file (in Electron: `app.getPath('userData')`).
 *
 * Reading never fails: a missing file gives the defaults; a file that is not JSON, too large or
 * of the wrong shape is copied aside to `<file>.bak` and replaced by the defaults plus every
 * field that was still valid; `recovery` says what happened so the app can tell the user.
 * Writing is atomic (writeFileAtomic: temporary file, fsync, rename), so a crash mid-write leaves
 * the old file or the new one, never half of each. Writes are serialized in call order.
 */
import { copyFile, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import * as v from 'valibot';
import { DEFAULT_PORT } from '../../../protocol/wire/limits';
import type { Preferences } from '../../../protocol/bridge';
import { errorCode, writeFileAtomic } from '../../fs/atomic-file';

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));

/** One schema per field, so a bad field costs only that field. Limits match protocol/bridge.ts. */
const fieldSchemas = {
  displayName: v.pipe(text(200), v.trim()),
  roomName: v.pipe(text(64), v.trim()),
  lastAddress: v.pipe(text(512), v.trim()),
  defaultPort: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535)),
  notifications: v.boolean(),
  keepHostingInTray: v.boolean(),
};

export const settingsSchema = v.object(fieldSchemas);
const settingsPatchSchema = v.partial(v.strictObject(fieldSchemas));

export type Settings = v.InferOutput<typeof settingsSchema>;
export type SettingsPatch = Partial<Settings>;

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  /** Empty until the user picks one: the app asks for it before hosting or joining. */
  displayName: '',
  roomName: 'Parley',
  lastAddress: '',
  defaultPort: DEFAULT_PORT,
  notifications: true,
  /** Closing the window of a hosting app keeps the room running from the tray. */
  keepHostingInTray: true,
});

const FILE_VERSION = 1;
/** A settings file is a few hundred bytes; anything far larger is not ours. */
const MAX_FILE_BYTES = 256 * 1024;

export type SettingsErrorCode = 'bad_settings' | 'settings_write_failed';

export class SettingsError extends Error {
  readonly code: SettingsErrorCode;
  constructor(code: SettingsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SettingsError';
    this.code = code;
  }
}

export interface SettingsRecovery {
  /** unreadable: could not be read at all; not_json / too_large / bad_shape: moved aside. */
  reason: 'unreadable' | 'not_json' | 'too_large' | 'bad_shape';
  /** Where the bad file was kept, when it could be moved. */
  backupPath?: string;
  /** The fields that were invalid and fell back to defaults (for `bad_shape`). */
  invalidFields?: string[];
}

export interface SettingsStoreOptions {
  /** The JSON file; its folder is created when missing. */
  path: string;
  /** Overrides of the built-in defaults (for example a display name from the OS user). */
  defaults?: SettingsPatch;
}

interface LoadResult {
  settings: Settings;
  recovery?: SettingsRecovery;
}

function resolveDefaults(overrides: SettingsPatch | undefined): Settings {
  const merged: Settings = { ...DEFAULT_SETTINGS };
  const checked = v.safeParse(settingsPatchSchema, overrides ?? {});
  if (!checked.success) {
    throw new SettingsError('bad_settings', `Bad default settings: ${checked.issues[0].message}`);
  }
  for (const [key, value] of Object.entries(checked.output)) {
    if (value !== undefined) Object.assign(merged, { [key]: value });
  }
  return merged;
}

/** Keeps each valid field of `raw` and the default for each invalid or missing one. */
function salvage(raw: Record<string, unknown>, defaults: Settings) {
  const settings: Settings = { ...defaults };
  const invalidFields: string[] = [];
  for (const [key, schema] of Object.entries(fieldSchemas)) {
    if (!(key in raw)) continue;
    const field = v.safeParse(schema, raw[key]);
    if (field.success) Object.assign(settings, { [key]: field.output });
    else invalidFields.push(key);
  }
  return { settings, invalidFields };
}

// Any JSON object; its `version` is informative only (fields are checked one by one).
const fileSchema = v.pipe(
  v.custom<object>((value) => typeof value === 'object' && value !== null && !Array.isArray(value)),
  v.record(v.string(), v.unknown()),
);

async function readSettingsFile(file: string, defaults: Settings): Promise<LoadResult> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { settings: { ...defaults } };
    return { settings: { ...defaults }, recovery: { reason: 'unreadable' } };
  }
  if (size > MAX_FILE_BYTES) return setAside(file, defaults, { reason: 'too_large' });
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch {
    return { settings: { ...defaults }, recovery: { reason: 'unreadable' } };
  }
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return setAside(file, defaults, { reason: 'not_json' });
  }
  const shaped = v.safeParse(fileSchema, json);
  if (!shaped.success) return setAside(file, defaults, { reason: 'bad_shape', invalidFields: [] });
  const { settings, invalidFields } = salvage(shaped.output, defaults);
  if (invalidFields.length === 0) return { settings };
  return setAside(file, settings, { reason: 'bad_shape', invalidFields });
}

/**
 * Keeps the bad file as `.bak`, then replaces it with what was salvaged, so the valid fields
 * survive the next start too. When no backup can be made the bad file is left untouched.
 */
async function setAside(
  file: string,
  settings: Settings,
  recovery: SettingsRecovery,
): Promise<LoadResult> {
  const backupPath = `${file}.bak`;
  try {
    await copyFile(file, backupPath);
  } catch {
    return { settings, recovery };
  }
  await writeFileAtomic(file, serialize(settings)).catch(() => undefined);
  return { settings, recovery: { ...recovery, backupPath } };
}

function serialize(settings: Settings): string {
  return `${JSON.stringify({ version: FILE_VERSION, ...settings }, null, 2)}\n`;
}

export class SettingsStore {
  readonly path: string;
  /** What went wrong reading the file at open, if anything (defaults were used). */
  readonly recovery: SettingsRecovery | undefined;
  private current: Settings;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(file: string, loaded: LoadResult) {
    this.path = file;
    this.current = loaded.settings;
    this.recovery = loaded.recovery;
  }

  /** Reads the settings file (see the module comment for what happens to a bad one). */
  static async open(options: SettingsStoreOptions): Promise<SettingsStore> {
    if (typeof options?.path !== 'string' || options.path.length === 0) {
      throw new SettingsError('bad_settings', 'The settings store needs a file path.');
    }
    const file = path.resolve(options.path);
    const defaults = resolveDefaults(options.defaults);
    return new SettingsStore(file, await readSettingsFile(file, defaults));
  }

  /** The current settings (a copy). */
  get(): Settings {
    return { ...this.current };
  }

  /**
   * Validates `patch`, writes the merged settings to disk and resolves with them. Rejects with
   * SettingsError `bad_settings` (nothing changes) or `settings_write_failed` (the settings in
   * memory stay as they were, so `get()` always matches the file).
   */
  update(patch: SettingsPatch): Promise<Settings> {
    const checked = v.safeParse(settingsPatchSchema, patch);
    if (!checked.success) {
      const issue = checked.issues[0];
      const field = issue.path?.map((item) => String(item.key)).join('.') ?? 'settings';
      return Promise.reject(new SettingsError('bad_settings', `${field}: ${issue.message}`));
    }
    const run = this.queue.then(async () => {
      const next: Settings = { ...this.current };
      for (const [key, value] of Object.entries(checked.output)) {
        if (value !== undefined) Object.assign(next, { [key]: value });
      }
      try {
        await writeFileAtomic(this.path, serialize(next));
      } catch (error) {
        throw new SettingsError(
          'settings_write_failed',
          `Could not save settings to ${this.path}.`,
          {
            cause: error,
          },
        );
      }
      this.current = next;
      return { ...next };
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Opens the settings file at `options.path`; never rejects because of the file's content. */
export function openSettingsStore(options: SettingsStoreOptions): Promise<SettingsStore> {
  return SettingsStore.open(options);
}

/** The bridge's Preferences (what the renderer edits) from the settings. */
export function preferencesFromSettings(settings: Settings): Preferences {
  return {
    name: settings.displayName,
    roomName: settings.roomName,
    address: settings.lastAddress,
    port: settings.defaultPort,
  };
}

/** The settings patch for Preferences saved by the renderer. */
export function patchFromPreferences(preferences: Preferences): SettingsPatch {
  return {
    displayName: preferences.name,
    roomName: preferences.roomName,
    lastAddress: preferences.address,
    defaultPort: preferences.port,
  };
}
