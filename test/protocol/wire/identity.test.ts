/**
 * The identity formulas of protocol v2, checked against Node's own crypto as an independent
 * oracle: other programs compute these strings from the spec, so every character must match.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  directConversationId,
  fromBase64url,
  identitySchema,
  peerIdOf,
  roomIdentity,
} from '../../../protocol/wire/identity';

const sha256url = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64url');

describe('peerIdOf', () => {
  it('is u_ and the first 22 characters of the spec digest, 24 characters in all', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 64 }), (bytes) => {
        const identity = Buffer.from(bytes).toString('base64url');
        const id = peerIdOf(identity);
        expect(id).toBe(`u_${sha256url(`parley.identity:${identity}`).slice(0, 22)}`);
        expect(id).toHaveLength(24);
      }),
    );
  });
});

describe('directConversationId', () => {
  it('is the same whichever side computes it', () => {
    const a = peerIdOf(randomBytes(32).toString('base64url'));
    const b = peerIdOf(randomBytes(32).toString('base64url'));
    const sorted = [a, b].sort().join(':');
    expect(directConversationId(a, b)).toBe(`d_${sha256url(sorted).slice(0, 22)}`);
    expect(directConversationId(b, a)).toBe(directConversationId(a, b));
  });
});

describe('roomIdentity', () => {
  it('is the HMAC of the room id and lowercase certificate hash under the device secret', () => {
    const secret = randomBytes(32);
    const hex = createHash('sha256').update('cert').digest('hex').toUpperCase();
    const expected = createHmac('sha256', secret)
      .update(`parley.identity.v2:r_room:${hex.toLowerCase()}`)
      .digest('base64url');
    expect(roomIdentity(secret, 'r_room', hex)).toBe(expected);
    expect(v.is(identitySchema, expected)).toBe(true);
  });

  it('differs per room, so one room learns nothing it could replay in another', () => {
    const secret = randomBytes(32);
    expect(roomIdentity(secret, 'r_a', 'ab')).not.toBe(roomIdentity(secret, 'r_b', 'ab'));
    expect(roomIdentity(secret, 'r_a', 'ab')).not.toBe(roomIdentity(secret, 'r_a', 'cd'));
  });
});

describe('identitySchema', () => {
  it('takes 43 to 86 base64url characters and nothing else', () => {
    expect(v.is(identitySchema, 'a'.repeat(43))).toBe(true);
    expect(v.is(identitySchema, 'a'.repeat(86))).toBe(true);
    expect(v.is(identitySchema, 'a'.repeat(42))).toBe(false);
    expect(v.is(identitySchema, 'a'.repeat(87))).toBe(false);
    expect(v.is(identitySchema, `${'a'.repeat(42)}+`)).toBe(false);
  });
});

describe('fromBase64url', () => {
  it('round-trips bytes and refuses other alphabets', () => {
    const bytes = randomBytes(33);
    expect(Buffer.from(fromBase64url(bytes.toString('base64url'))!)).toEqual(bytes);
    expect(fromBase64url('a+b/')).toBeUndefined();
  });
});
