import { describe, expect, it } from 'vitest';
import {
  createMessageId,
  createPeerId,
  createRoomId,
  createToken,
  hashToken,
  passwordMatches,
} from '../../../main/host/tokens';

describe('tokens and ids', () => {
  it('makes peer ids p_ + 12 base64url characters, all different', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => createPeerId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^p_[A-Za-z0-9_-]{12}$/);
  });

  it('makes 32-byte base64url tokens and stores them only as sha256 hex', () => {
    const token = createToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toBe(hashToken(createToken()));
    expect(hashToken(token)).not.toContain(token);
  });

  it('makes distinct message and room ids', () => {
    expect(createMessageId()).not.toBe(createMessageId());
    expect(createRoomId()).toMatch(/^r_[A-Za-z0-9_-]{16}$/);
  });

  it('matches passwords exactly, and treats no password or "" as an open room', () => {
    expect(passwordMatches(undefined, undefined)).toBe(true);
    expect(passwordMatches('anything', '')).toBe(true);
    expect(passwordMatches('sesame', 'sesame')).toBe(true);
    expect(passwordMatches('Sesame', 'sesame')).toBe(false);
    expect(passwordMatches('sesame ', 'sesame')).toBe(false);
    expect(passwordMatches(undefined, 'sesame')).toBe(false);
    expect(passwordMatches('', 'sesame')).toBe(false);
    expect(passwordMatches('x'.repeat(10_000), 'sesame')).toBe(false);
  });
});
