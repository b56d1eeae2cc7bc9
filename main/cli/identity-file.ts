/**
 * The terminal client's device secret (docs/protocol.md, "Identity"): made once and kept in the
 * `identity` file of its config folder (readable by its owner only), the root of the identity it
 * sends to every room. `parley join --new-identity` replaces it: from then on the terminal is a
 * new person in every room.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newSecret, secretBytes } from '../../protocol/client/identity-key';
import { writeFileAtomic } from '../fs/atomic-file';
import { defaultConfigDir } from './config-dir';

export function identityFile(env: Record<string, string | undefined>): string {
  return join(defaultConfigDir(env), 'identity');
}

export interface DeviceIdentity {
  secret: Uint8Array;
  /** Made just now: there was none (or it was unreadable), or a fresh one was asked for. */
  made: boolean;
}

/**
 * The secret in `file`; a new one (saved) when there is none, it is damaged, or `fresh` asks for
 * one. Rejects when a new one cannot be saved: an identity that would not last is not one.
 */
export async function loadIdentity(file: string, fresh = false): Promise<DeviceIdentity> {
  if (!fresh) {
    const kept = await readFile(file, 'utf8').then(
      (text) => secretBytes(text.trim()),
      () => undefined,
    );
    if (kept) return { secret: kept, made: false };
  }
  const secret = newSecret();
  await writeFileAtomic(file, `${secret}\n`, { mode: 0o600 });
  return { secret: secretBytes(secret)!, made: true };
}
