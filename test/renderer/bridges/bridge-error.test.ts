import { describe, expect, it } from 'vitest';
import { ERROR_SENTENCES } from '../../../protocol/wire/codes';
import {
  BridgeFailure,
  describeError,
  toBridgeFailure,
} from '../../../renderer/bridges/bridge-error';

describe('bridge errors', () => {
  it('shows a sentence as it is', () => {
    expect(
      describeError(
        new BridgeFailure('unreachable', 'Could not reach a Parley host at ws://x/ws.'),
      ),
    ).toBe('Could not reach a Parley host at ws://x/ws.');
  });

  it('never shows plumbing or stack traces: the code’s sentence, or a plain fallback', () => {
    const ipc = Object.assign(
      new Error("Error invoking remote method 'parley:join': Error: Wrong password for this room."),
      { code: 'auth_failed' },
    );
    expect(describeError(ipc)).toBe('Wrong password for this room.');
    const trace = Object.assign(new Error('TypeError: x is undefined\n    at f (a.js:1:1)'), {
      code: 'name_taken',
    });
    expect(describeError(trace)).toBe(ERROR_SENTENCES.name_taken);
    expect(describeError(new Error('ECONNREFUSED'))).toBe(
      'Something went wrong. Please try again.',
    );
    expect(describeError(undefined)).toBe('Something went wrong. Please try again.');
    expect(describeError({ code: 'rate_limited' })).toBe(ERROR_SENTENCES.rate_limited);
  });

  it('keeps the code when converting', () => {
    const failure = toBridgeFailure(
      Object.assign(new Error('The room is full. Try again later.'), { code: 'unreachable' }),
      'x',
    );
    expect(failure).toBeInstanceOf(BridgeFailure);
    expect(failure.code).toBe('unreachable');
    expect(toBridgeFailure(new Error('boom'), 'fallback').code).toBe('fallback');
  });
});
