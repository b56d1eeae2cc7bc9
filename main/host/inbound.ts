/**
 * Turning one inbound WebSocket message into a validated client frame, or into the error it earns
 * (docs/protocol.md: `bad_json` for anything that is not a JSON object, `bad_message` for the rest).
 */
import type { RawData } from 'ws';
import * as v from 'valibot';
import type { ClientFrame } from '../../protocol/wire/frames';

export type InboundResult<F = ClientFrame> =
  | { ok: true; frame: F; ref: string | undefined }
  | { ok: false; code: 'bad_json' | 'bad_message'; message: string; ref: string | undefined };

/** Any JSON object; arrays are objects to `typeof` and to valibot's object schemas, not here. */
const jsonObjectSchema = v.custom<Record<string, unknown>>(
  (input) => typeof input === 'object' && input !== null && !Array.isArray(input),
);

/** Error messages quote the offending value; a hostile frame must not make them huge. */
const MAX_DETAIL_LENGTH = 200;

export function rawDataToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** Reads one frame with the schema of the connection's protocol (parley.v1 or parley.v2). */
export function readClientFrame<S extends v.GenericSchema>(
  data: RawData,
  isBinary: boolean,
  schema: S,
): InboundResult<v.InferOutput<S>> {
  if (isBinary) {
    return { ok: false, code: 'bad_message', message: 'send JSON in text frames', ref: undefined };
  }
  let json: unknown;
  try {
    json = JSON.parse(rawDataToString(data));
  } catch {
    return { ok: false, code: 'bad_json', message: 'the frame is not valid JSON', ref: undefined };
  }
  const object = v.safeParse(jsonObjectSchema, json);
  if (!object.success) {
    return {
      ok: false,
      code: 'bad_json',
      message: 'a frame must be a JSON object',
      ref: undefined,
    };
  }
  const ref = typeof object.output.id === 'string' ? object.output.id : undefined;
  const parsed = v.safeParse(schema, json);
  if (!parsed.success) {
    return { ok: false, code: 'bad_message', message: describeIssue(parsed.issues[0]), ref };
  }
  return { ok: true, frame: parsed.output, ref };
}

function describeIssue(issue: v.BaseIssue<unknown>): string {
  const path = v.getDotPath(issue);
  const text = path ? `${path}: ${issue.message}` : issue.message;
  return text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH - 1)}…` : text;
}
