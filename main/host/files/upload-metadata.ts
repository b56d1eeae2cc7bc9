/**
 * The Upload-Metadata of an upload (tus: comma-separated `key base64(value)` pairs): `filename`
 * and `conv` from the client, and `owner` (the sending identity's peer id) that the host adds at
 * creation, so the owner is known from the upload's own JSON after a restart or on another host.
 */
import type { Upload } from '@tus/utils';
import * as v from 'valibot';

/** The metadata key the host adds: a client cannot set it (creation refuses it). */
export const OWNER_KEY = 'parley-owner';

/**
 * What a client sends: the name as the sender's system has it (made safe when the upload
 * finishes) and the conversation the file is for. Generous bounds: a header cannot be larger.
 */
export const clientMetadataSchema = v.object({
  filename: v.pipe(v.string(), v.minLength(1), v.maxLength(16_384)),
  conv: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
});

const storedMetadataSchema = v.object({
  ...clientMetadataSchema.entries,
  [OWNER_KEY]: v.pipe(v.string(), v.minLength(1)),
});

export interface UploadMetadata {
  filename: string;
  conv: string;
  owner: string;
}

/** The metadata of an upload the host created; throws when it is not one (a foreign file). */
export function uploadMetadata(upload: Pick<Upload, 'metadata'>): UploadMetadata {
  const parsed = v.parse(storedMetadataSchema, upload.metadata);
  return { filename: parsed.filename, conv: parsed.conv, owner: parsed[OWNER_KEY] };
}

/** The owner of an upload, or undefined when its metadata is not the host's. */
export function ownerOf(upload: Pick<Upload, 'metadata'>): string | undefined {
  const parsed = v.safeParse(storedMetadataSchema, upload.metadata);
  return parsed.success ? parsed.output[OWNER_KEY] : undefined;
}
