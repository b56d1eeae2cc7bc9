/**
 * Remembers, per room address, how to resume the session this app last had there (the host's
 * resume token, the newest seq seen of each conversation, the room id), so that after a restart
 * of the app joining the same address comes back as the same peer and receives exactly the
 * entries it missed.
 *
 * One private JSON file in the user data directory. A resume token is a credential for that
 * peer, so the file is readable by its owner only, and only the newest `maxEntries` addresses
 * are kept. A damaged entry is dropped, never trusted: at worst the next join is a fresh one.
 */
import * as v from 'valibot';
import type { SessionSnapshot } from '../../../protocol/client/client-types';
import { readJsonFile, writeJsonFile } from '../../fs/json-file';

export interface SessionSnapshotStore {
  /** The snapshot saved for `address`, if it was saved under the same display name. */
  load(address: string, name: string): Promise<SessionSnapshot | undefined>;
  save(address: string, name: string, snapshot: SessionSnapshot): Promise<void>;
}

export interface SessionSnapshotStoreOptions {
  file: string;
  /** Most addresses remembered; the least recently saved go first. Default 50. */
  maxEntries?: number;
  now?: () => number;
}

// Version 1 kept one lastSeq (protocol v1); its entries fail the schema and are dropped.
const FILE_VERSION = 2;
/** Conversations remembered per address: a resume asks for each of them. */
const MAX_CURSORS = 10_000;
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_KEY_LENGTH = 1024;

const entrySchema = v.object({
  name: v.pipe(v.string(), v.maxLength(200)),
  token: v.pipe(v.string(), v.minLength(1), v.maxLength(512)),
  cursors: v.pipe(
    v.record(
      v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
      v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
    ),
    v.check((cursors) => Object.keys(cursors).length <= MAX_CURSORS, 'too many cursors'),
  ),
  roomId: v.pipe(v.string(), v.minLength(1), v.maxLength(512)),
  savedAt: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
});
type Entry = v.InferOutput<typeof entrySchema>;

const fileSchema = v.object({ sessions: v.record(v.string(), v.unknown()) });
const optionsSchema = v.object({
  file: v.pipe(v.string(), v.minLength(1)),
  maxEntries: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000)), 50),
});

/** The entries of a file that pass validation; everything else is left behind. */
function readEntries(content: unknown): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  const parsed = v.safeParse(fileSchema, content);
  if (!parsed.success) return entries;
  for (const [key, raw] of Object.entries(parsed.output.sessions)) {
    const entry = v.safeParse(entrySchema, raw);
    if (entry.success && key.length <= MAX_KEY_LENGTH) entries.set(key, entry.output);
  }
  return entries;
}

export function createSessionSnapshotStore(
  options: SessionSnapshotStoreOptions,
): SessionSnapshotStore {
  const { file, maxEntries } = v.parse(optionsSchema, options);
  const now = options.now ?? Date.now;
  let loaded: Promise<Map<string, Entry>> | undefined;
  // Saves run one after another, so the file always holds the last one made.
  let queue: Promise<void> = Promise.resolve();

  const entries = () => (loaded ??= readJsonFile(file, MAX_FILE_BYTES).then(readEntries));

  async function write(map: Map<string, Entry>): Promise<void> {
    const newest = [...map].sort(([, a], [, b]) => b.savedAt - a.savedAt).slice(0, maxEntries);
    map.clear();
    for (const [key, entry] of newest) map.set(key, entry);
    await writeJsonFile(file, { version: FILE_VERSION, sessions: Object.fromEntries(map) });
  }

  return {
    async load(address, name) {
      const entry = (await entries()).get(address);
      if (!entry || entry.name !== name.trim()) return undefined;
      return { token: entry.token, cursors: entry.cursors, roomId: entry.roomId };
    },
    save(address, name, snapshot) {
      const entry = v.safeParse(entrySchema, { ...snapshot, name: name.trim(), savedAt: now() });
      if (!entry.success || address.length > MAX_KEY_LENGTH) {
        return Promise.reject(new TypeError('Not a session snapshot that can be saved.'));
      }
      const run = queue.then(async () => {
        const map = await entries();
        map.set(address, entry.output);
        await write(map);
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
