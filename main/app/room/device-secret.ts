/**
 * This computer's device secret (docs/protocol.md, "Identity"): made once, kept in its own private
 * file in the user data directory (identity.json, beside the settings), and from then on the root
 * of every per-room identity the app sends (protocol/client/identity-key.ts). Losing the file
 * means new identities everywhere: a fresh start, never a crash. The settings file is left to the
 * settings store; this file has one job.
 */
import * as v from 'valibot';
import { newSecret, secretBytes } from '../../../protocol/client/identity-key';
import { readJsonFile, writeJsonFile } from '../../fs/json-file';

const FILE_VERSION = 1;
const MAX_FILE_BYTES = 4096;

const fileSchema = v.object({ version: v.literal(FILE_VERSION), deviceSecret: v.string() });

export type DeviceSecretSource = () => Promise<Uint8Array>;

/**
 * The secret kept in `file`, made and saved on first use (or when the file is unreadable). Loaded
 * once per source: later calls share the first answer.
 */
export function deviceSecretFrom(file: string): DeviceSecretSource {
  let loaded: Promise<Uint8Array> | undefined;
  return () => (loaded ??= loadOrCreate(file));
}

async function loadOrCreate(file: string): Promise<Uint8Array> {
  const stored = v.safeParse(fileSchema, await readJsonFile(file, MAX_FILE_BYTES));
  const kept = stored.success ? secretBytes(stored.output.deviceSecret) : undefined;
  if (kept) return kept;
  const secret = newSecret();
  await writeJsonFile(file, { version: FILE_VERSION, deviceSecret: secret });
  return secretBytes(secret)!;
}
