/**
 * How the guest page judges its connection (renderer/bridges/page-transport.ts), and the browser
 * bridge's refusal to send a password over cleartext across the network.
 */
import { describe, expect, it } from 'vitest';
import type { ClientSessionOptions } from '../../../protocol/client/client-types';
import type { ClientSession } from '../../../protocol/client/client-session';
import {
  createBrowserBridge,
  PASSWORD_NEEDS_ENCRYPTION,
} from '../../../renderer/bridges/browser-bridge';
import {
  hostnameOf,
  isLoopbackHost,
  pageTransport,
  socketTransport,
} from '../../../renderer/bridges/page-transport';

describe('page transport', () => {
  it.each([
    ['https:', '192.168.1.20:7420', 'encrypted'],
    ['https:', '127.0.0.1:7420', 'encrypted'],
    ['http:', '192.168.1.20:7420', 'cleartext'],
    ['http:', 'laptop.local:7420', 'cleartext'],
    ['http:', '[fe80::1]:7420', 'cleartext'],
    ['http:', '127.0.0.1:7420', 'loopback'],
    ['http:', '127.8.9.10', 'loopback'],
    ['http:', 'localhost:7420', 'loopback'],
    ['http:', '[::1]:7420', 'loopback'],
    ['http:', '[::ffff:127.0.0.1]:7420', 'loopback'],
    ['http:', '[::ffff:7f00:1]:7420', 'loopback'],
    ['http:', '[::ffff:c0a8:114]:7420', 'cleartext'],
    ['', '', 'cleartext'],
  ])('a page from %s//%s is %s', (protocol, host, expected) => {
    expect(pageTransport(protocol, host)).toBe(expected);
  });

  it('reads host names out of host:port, brackets and bare IPv6 included', () => {
    expect(hostnameOf('10.0.0.2:7420')).toBe('10.0.0.2');
    expect(hostnameOf('[::1]:7420')).toBe('::1');
    expect(hostnameOf('::1')).toBe('::1');
    expect(hostnameOf('laptop.local')).toBe('laptop.local');
  });

  it('does not take look-alikes for loopback', () => {
    for (const host of ['127.0.0.1.evil.example', '1127.0.0.1', '128.0.0.1', '::2', 'local']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });

  it('judges socket URLs the same way, and nothing from a non-URL', () => {
    expect(socketTransport('wss://192.168.1.20:7420/ws')).toBe('encrypted');
    expect(socketTransport('ws://192.168.1.20:7420/ws')).toBe('cleartext');
    expect(socketTransport('ws://127.0.0.1:7420/ws')).toBe('loopback');
    expect(socketTransport('not a url')).toBeUndefined();
  });
});

describe('browser bridge over cleartext', () => {
  function bridgeAt(url: string) {
    const sessions: ClientSessionOptions[] = [];
    const bridge = createBrowserBridge({
      url,
      WebSocket: class {} as never,
      createSession: (options) => {
        sessions.push(options);
        // Never connects: the tests only look at whether a session was made, and with what.
        return {
          on: () => () => undefined,
          connect: () => new Promise(() => undefined),
          close: () => undefined,
        } as unknown as ClientSession;
      },
    });
    return { bridge, sessions };
  }

  it('refuses to send a password across the network unencrypted, before any socket', async () => {
    const { bridge, sessions } = bridgeAt('ws://192.168.1.20:7420/ws');
    await expect(bridge.join({ address: 'x', name: 'Gil', password: 's3cret' })).rejects.toEqual(
      expect.objectContaining({ code: 'insecure_password', message: PASSWORD_NEEDS_ENCRYPTION }),
    );
    expect(sessions).toEqual([]);
  });

  it('sends one over TLS, or within this computer', () => {
    for (const url of ['wss://192.168.1.20:7420/ws', 'ws://127.0.0.1:7420/ws']) {
      const { bridge, sessions } = bridgeAt(url);
      void bridge.join({ address: 'x', name: 'Gil', password: 's3cret' });
      expect(sessions).toMatchObject([{ url, password: 's3cret' }]);
    }
  });

  it('joins an open room over cleartext, without a password', () => {
    const { bridge, sessions } = bridgeAt('ws://192.168.1.20:7420/ws');
    void bridge.join({ address: 'x', name: 'Gil' });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).not.toHaveProperty('password');
  });
});
