import { describe, expect, it } from 'vitest';
import { identityForRoom, newSecret, secretBytes } from '../../../protocol/client/identity-key';
import { identitySchema, peerIdOf, roomIdentity } from '../../../protocol/wire/identity';
import * as v from 'valibot';

describe('identity keys', () => {
  it('makes fresh 32-byte secrets that are valid identities themselves (a guest sends one as is)', () => {
    const first = newSecret();
    expect(v.is(identitySchema, first)).toBe(true);
    expect(secretBytes(first)).toHaveLength(32);
    expect(newSecret()).not.toBe(first);
    expect(secretBytes('not a secret')).toBeUndefined();
  });

  it('derives one key per room and certificate, from the fingerprint as browsers show it', () => {
    const secret = secretBytes(newSecret())!;
    const fingerprint = 'AB:CD:EF:01';
    const key = identityForRoom(secret, 'r_lab', fingerprint);
    expect(key).toBe(roomIdentity(secret, 'r_lab', 'abcdef01'));
    expect(v.is(identitySchema, key)).toBe(true);
    expect(identityForRoom(secret, 'r_other', fingerprint)).not.toBe(key);
    // A room without TLS: the empty string stands for the certificate.
    expect(identityForRoom(secret, 'r_lab', undefined)).toBe(roomIdentity(secret, 'r_lab', ''));
    // The same device is the same person in that room on every connection.
    expect(peerIdOf(identityForRoom(secret, 'r_lab', fingerprint))).toBe(peerIdOf(key));
  });
});
