/**
 * The two join refusals about a room's identity (protocol/bridge.ts, BridgeError), read from
 * whatever a bridge rejected with, so the start screen can ask or warn instead of showing a
 * one-line error: a room never seen (confirm its fingerprint, then join pinned to it) and a
 * room whose certificate changed (forget it first, after comparing fingerprints aloud).
 */
import * as v from 'valibot';
import type { ReadableFingerprint } from '../../protocol/client/fingerprint';

export type IdentityProblem =
  | {
      kind: 'confirm';
      fingerprint: ReadableFingerprint;
      roomName: string;
      /** firstUseNotice's sentences, for screen readers and the curious. */
      message: string;
    }
  | {
      kind: 'changed';
      roomId: string;
      roomName: string | undefined;
      /** identityChangedWarning, several lines with both fingerprints: shown as it is. */
      message: string;
    };

const fingerprintSchema = v.object({
  short: v.pipe(v.string(), v.nonEmpty(), v.maxLength(64)),
  full: v.pipe(v.string(), v.nonEmpty(), v.maxLength(128)),
});
const messageSchema = v.pipe(v.string(), v.nonEmpty(), v.maxLength(2000));
const roomNameSchema = v.pipe(v.string(), v.maxLength(200));

const problemSchema = v.variant('code', [
  v.object({
    code: v.literal('confirm_identity'),
    message: messageSchema,
    fingerprint: fingerprintSchema,
    roomName: v.optional(roomNameSchema, ''),
  }),
  v.object({
    code: v.literal('identity_changed'),
    message: messageSchema,
    roomId: v.pipe(v.string(), v.nonEmpty(), v.maxLength(256)),
    roomName: v.optional(roomNameSchema),
  }),
]);

/** The identity problem a join rejected with, or undefined for any other error. */
export function identityProblem(error: unknown): IdentityProblem | undefined {
  const parsed = v.safeParse(problemSchema, error);
  if (!parsed.success) return undefined;
  const problem = parsed.output;
  if (problem.code === 'confirm_identity') {
    return {
      kind: 'confirm',
      fingerprint: problem.fingerprint,
      roomName: problem.roomName,
      message: problem.message,
    };
  }
  return {
    kind: 'changed',
    roomId: problem.roomId,
    roomName: problem.roomName,
    message: problem.message,
  };
}
