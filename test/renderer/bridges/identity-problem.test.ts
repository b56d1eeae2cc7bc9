/** Reading the identity refusals of a join (renderer/bridges/identity-problem.ts). */
import { describe, expect, it } from 'vitest';
import { identityProblem } from '../../../renderer/bridges/identity-problem';

const fingerprint = { short: '4FE2 DDDA B381 BA5F 59D5 99BF 06F8 232D', full: '4F:E2:DD:DA' };

describe('identityProblem', () => {
  it('reads a first visit: the fingerprint to compare and the room name', () => {
    const error = {
      code: 'confirm_identity',
      message: 'Parley has not seen room "Lab" (r1) before.\nIts fingerprint is …',
      fingerprint,
      roomName: 'Lab',
      roomId: 'r1',
    };
    expect(identityProblem(error)).toEqual({
      kind: 'confirm',
      fingerprint,
      roomName: 'Lab',
      message: error.message,
    });
  });

  it('reads a changed identity: the room to forget and the warning as it is', () => {
    // As the fake bridge (and any Error-based bridge) rejects: an Error with the fields on it.
    const error = Object.assign(new Error('WARNING: …\nKnown fingerprint: …'), {
      code: 'identity_changed',
      roomId: 'r1',
    });
    expect(identityProblem(error)).toEqual({
      kind: 'changed',
      roomId: 'r1',
      roomName: undefined,
      message: 'WARNING: …\nKnown fingerprint: …',
    });
  });

  it.each([
    undefined,
    'confirm_identity',
    { code: 'auth_failed', message: 'Wrong password for this room.' },
    { code: 'confirm_identity', message: 'no fingerprint' },
    { code: 'confirm_identity', message: 'x', fingerprint: { short: 1, full: 'x' } },
    { code: 'identity_changed', message: 'no room id' },
    { code: 'identity_changed', message: 'x', roomId: '' },
  ])('leaves anything else to the usual error line: %j', (error) => {
    expect(identityProblem(error)).toBeUndefined();
  });
});
