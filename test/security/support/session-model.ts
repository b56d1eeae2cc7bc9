/**
 * What the host must answer to each client frame, straight from the documented contract
 * (docs/protocol.md), using the protocol's own schemas and name rule. The fuzz
 * tests hold the host's real answers against it.
 */
import * as v from 'valibot';
import { isSayable } from '../../../main/host/room';
import { createClientFrameSchema } from '../../../protocol/wire/frames';
import type { Limits } from '../../../protocol/wire/limits';
import { checkName, nameKey } from '../../../protocol/wire/text';
import type { Outbound } from './fuzz-frames';

/** A frame the host answers directly, in order (acks and broadcasts follow the store). */
export type Expected =
  | { type: 'error'; code: string; ref: string | undefined; closes?: number }
  | { type: 'welcome' }
  | { type: 'pong' }
  | { type: 'history' };

const jsonObject = v.custom<Record<string, unknown>>(
  (input) => typeof input === 'object' && input !== null && !Array.isArray(input),
);

export class SessionModel {
  state: 'waiting' | 'joined' | 'closed';
  private readonly schema;
  private readonly storedSayIds = new Set<string>();

  constructor(
    private readonly limits: Limits,
    /** Names held by others in the room (case-insensitively). */
    private readonly takenNames: readonly string[],
    joined = false,
  ) {
    this.schema = createClientFrameSchema(limits);
    this.state = joined ? 'joined' : 'waiting';
  }

  /** The host's direct answers to `frame`; none once the connection is closed. */
  answer(frame: Outbound): Expected[] {
    if (this.state === 'closed') return [];
    if (frame.kind === 'binary') return [error('bad_message')];
    let json: unknown;
    try {
      json = JSON.parse(frame.data);
    } catch {
      return [error('bad_json')];
    }
    if (!v.is(jsonObject, json)) return [error('bad_json')];
    const ref = typeof json.id === 'string' ? json.id : undefined;
    const parsed = v.safeParse(this.schema, json);
    if (!parsed.success) return [error('bad_message', ref)];
    const valid = parsed.output;

    if (this.state === 'waiting') {
      if (valid.type !== 'hello') return this.close(error('hello_timeout', ref, 4001));
      // An open room on loopback: the password plays no part; an unknown resume token is a fresh hello.
      const name = checkName(valid.name, this.limits.maxNameLength);
      if (!name.ok) return [error('bad_name', ref)];
      const key = nameKey(name.name);
      if (this.takenNames.some((taken) => nameKey(taken) === key)) {
        return this.close(error('name_taken', ref, 4009));
      }
      this.state = 'joined';
      return [{ type: 'welcome' }];
    }

    switch (valid.type) {
      case 'hello':
        return [error('bad_message', ref)];
      case 'say':
        // A repeated id is a retry: acknowledged again, whatever its text.
        if (this.storedSayIds.has(valid.id)) return [];
        if (!isSayable(valid.text, this.limits.maxTextLength)) return [error('too_long', valid.id)];
        this.storedSayIds.add(valid.id);
        return [];
      case 'typing':
        return [];
      case 'history':
        return [{ type: 'history' }];
      case 'ping':
        return [{ type: 'pong' }];
    }
  }

  private close(expected: Expected): Expected[] {
    this.state = 'closed';
    return [expected];
  }
}

function error(code: string, ref?: string, closes?: number): Expected {
  return closes === undefined ? { type: 'error', code, ref } : { type: 'error', code, ref, closes };
}
