import { describe, expect, it } from 'vitest';
import {
  createTransportPolicy,
  isLoopbackAddress,
} from '../../../../main/host/security/transport-policy';

describe('isLoopbackAddress', () => {
  it('knows every spelling of this machine, and nothing else', () => {
    for (const address of [
      '127.0.0.1',
      '127.4.5.6',
      '::1',
      '::ffff:127.0.0.1',
      '0:0:0:0:0:0:0:1',
    ]) {
      expect(isLoopbackAddress(address), address).toBe(true);
    }
    for (const address of [
      '10.0.0.1',
      '192.168.1.20',
      '128.0.0.1',
      '::ffff:10.0.0.1',
      '::2',
      'fe80::1%lo',
      'localhost',
      '',
      undefined,
    ]) {
      expect(isLoopbackAddress(address), String(address)).toBe(false);
    }
  });
});

describe('createTransportPolicy', () => {
  const lan = { encrypted: false, remoteAddress: '192.168.1.7' };
  const local = { encrypted: false, remoteAddress: '127.0.0.1' };
  const secure = { encrypted: true, remoteAddress: '192.168.1.7' };

  it('accepts TLS from anywhere and cleartext from this machine; passwords likewise', () => {
    const policy = createTransportPolicy(false);
    expect([secure, local, lan].map((t) => policy.accepts(t))).toEqual([true, true, false]);
    expect([secure, local, lan].map((t) => policy.carriesPasswords(t))).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('accepts cleartext from the network when allowed, but never a password in it', () => {
    const policy = createTransportPolicy(true);
    expect(policy.accepts(lan)).toBe(true);
    expect(policy.carriesPasswords(lan)).toBe(false);
    expect(policy.carriesPasswords(secure)).toBe(true);
  });

  it('takes the loopback decision from the caller when given', () => {
    const everythingRemote = createTransportPolicy(false, () => false);
    expect(everythingRemote.accepts(local)).toBe(false);
    expect(everythingRemote.accepts({ ...local, encrypted: true })).toBe(true);
  });
});
