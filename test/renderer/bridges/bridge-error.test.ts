import { describe, expect, it } from 'vitest';
import { SessionError } from '../../../protocol/client/session-error';
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

  it('shows the sentences of room events, end reasons and the client session as they are', () => {
    const event = { type: 'error', code: 'too_long', message: ERROR_SENTENCES.too_long };
    expect(describeError(event)).toBe(ERROR_SENTENCES.too_long);
    expect(describeError({ code: 'closed', message: 'You left the room.' })).toBe(
      'You left the room.',
    );
    const ended = new SessionError({ code: 'unreachable', message: 'The host stopped the room.' });
    expect(describeError(ended)).toBe('The host stopped the room.');
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
