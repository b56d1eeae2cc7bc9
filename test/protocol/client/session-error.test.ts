import { describe, expect, it } from 'vitest';
import { ERROR_SENTENCES } from '../../../protocol/wire/codes';
import { SessionError, closeReason, isFatalClose } from '../../../protocol/client/session-error';

describe('session errors', () => {
  it('treats exactly the refusal and takeover codes as fatal', () => {
    expect([4001, 4003, 4009, 4010, 1008].every(isFatalClose)).toBe(true);
    expect([1000, 1001, 1006, 1009, 1011, 1013, 4008].some(isFatalClose)).toBe(false);
  });

  it('explains a close by the error frame before it, else by its code', () => {
    expect(closeReason(4003, 'auth_failed')).toEqual({
      code: 'auth_failed',
      message: ERROR_SENTENCES.auth_failed,
    });
    expect(closeReason(4009, undefined).code).toBe('name_taken');
    expect(closeReason(4008, 'too_slow').code).toBe('too_slow');
    expect(closeReason(1008, 'bad_name').code).toBe('bad_name');
    expect(closeReason(1008, undefined).code).toBe('bad_message');
    expect(closeReason(1013, undefined)).toEqual({
      code: 'unreachable',
      message: 'The room is full. Try again later.',
    });
    expect(closeReason(1006, 'rate_limited').code).toBe('unreachable');
  });

  it('carries the code and the sentence', () => {
    const error = new SessionError({ code: 'name_taken', message: ERROR_SENTENCES.name_taken });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SessionError');
    expect(error.reason).toEqual({ code: 'name_taken', message: ERROR_SENTENCES.name_taken });
  });
});
