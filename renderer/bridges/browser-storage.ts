/**
 * What the browser guest page keeps between visits: preferences and the guest's identity secret
 * in localStorage (per origin, so per host: a returning guest is the same person), and a
 * snapshot of the live session in sessionStorage so a reload of the tab resumes it. Everything
 * read back is validated; storage that is missing, full or disabled is treated as empty, never
 * as a crash (without storage the guest gets a new identity each visit).
 */
import * as v from 'valibot';
import { preferencesSchema } from '../../protocol/bridge';
import type { Preferences } from '../../protocol/bridge';
import { newSecret } from '../../protocol/client/identity-key';
import { postSchema } from '../../protocol/client/request-specs';
import { identitySchema } from '../../protocol/wire/identity';
import { DEFAULT_PORT } from '../../protocol/wire/limits';

/** The part of the Web Storage API the page uses (localStorage and sessionStorage both fit). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const PREFERENCES_KEY = 'parley.preferences';
export const SESSION_KEY = 'parley.session';
export const IDENTITY_KEY = 'parley.identity';

export const DEFAULT_PREFERENCES: Readonly<Preferences> = Object.freeze({
  name: '',
  roomName: '',
  address: '',
  port: DEFAULT_PORT,
});

const snapshotSchema = v.object({
  name: v.string(),
  password: v.optional(v.string()),
  token: v.pipe(v.string(), v.minLength(1)),
  cursors: v.record(v.string(), v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
  roomId: v.string(),
  /** Posts not acknowledged yet: the reloaded page sends them again under their ids. */
  outbox: v.optional(v.array(postSchema)),
});

/** Enough to rejoin the same room as the same peer after a reload, unsent posts included. */
export type StoredSession = v.InferOutput<typeof snapshotSchema>;

export function loadPreferences(storage: StorageLike | undefined): Preferences {
  const stored = v.safeParse(v.partial(preferencesSchema), readJson(storage, PREFERENCES_KEY));
  if (!stored.success) return { ...DEFAULT_PREFERENCES };
  const picked = Object.fromEntries(
    Object.entries(stored.output).filter(([, value]) => value !== undefined),
  );
  return { ...DEFAULT_PREFERENCES, ...picked };
}

export function savePreferences(storage: StorageLike | undefined, preferences: Preferences): void {
  writeJson(storage, PREFERENCES_KEY, v.parse(preferencesSchema, preferences));
}

/**
 * The guest's identity for this origin: the secret kept there, or a new one (kept from now on).
 * It is sent as is (docs/protocol.md, "Identity"); the host derives the guest's peer id from it.
 */
export function guestIdentity(storage: StorageLike | undefined): string {
  const kept = readJson(storage, IDENTITY_KEY);
  if (v.is(identitySchema, kept)) return kept;
  const made = newSecret();
  writeJson(storage, IDENTITY_KEY, made);
  return made;
}

export function loadSession(storage: StorageLike | undefined): StoredSession | undefined {
  const stored = v.safeParse(snapshotSchema, readJson(storage, SESSION_KEY));
  return stored.success ? stored.output : undefined;
}

export function saveSession(storage: StorageLike | undefined, session: StoredSession): void {
  writeJson(storage, SESSION_KEY, session);
}

export function forgetSession(storage: StorageLike | undefined): void {
  try {
    storage?.removeItem(SESSION_KEY);
  } catch {
    // Storage that refuses a removal holds nothing this page can use anyway.
  }
}

function readJson(storage: StorageLike | undefined, key: string): unknown {
  try {
    const raw = storage?.getItem(key);
    return raw ? (JSON.parse(raw) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

function writeJson(storage: StorageLike | undefined, key: string, value: unknown): void {
  try {
    storage?.setItem(key, JSON.stringify(value));
  } catch {
    // Full or disabled storage (private windows): the page still works, it just forgets.
  }
}
