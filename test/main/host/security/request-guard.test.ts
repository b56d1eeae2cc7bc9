/**
 * The checks before any answer: origins of WebSocket handshakes (real host, loopback) and the
 * cleartext rule (the decision with a stand-in for another machine; test/security/ has the real one).
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createRequestGuard } from '../../../../main/host/security/request-guard';
import { createTransportPolicy } from '../../../../main/host/security/transport-policy';
import { handshake } from '../helpers/handshake';
import { testHost } from '../helpers/host';
import { testCertificate } from '../helpers/tls';

async function tlsHost(options: Parameters<typeof testHost>[0] = {}) {
  const { cert, key } = await testCertificate();
  return testHost({ tls: { cert, key }, ...options });
}

describe('origins of WebSocket handshakes', () => {
  it('lets programs (no Origin) and the host’s own page in, over ws and wss', async () => {
    const host = await tlsHost();
    const own = `127.0.0.1:${host.port}`;
    expect(await handshake(host.port)).toMatchObject({ opened: true });
    expect(await handshake(host.port, { secure: true })).toMatchObject({ opened: true });
    expect(await handshake(host.port, { origin: `http://${own}` })).toMatchObject({ opened: true });
    expect(await handshake(host.port, { secure: true, origin: `https://${own}` })).toMatchObject({
      opened: true,
    });
  });

  it('refuses other sites with 403 and a sentence, before any WebSocket exists', async () => {
    const host = await tlsHost();
    let joined = 0;
    host.on('joined', () => joined++);
    const own = `127.0.0.1:${host.port}`;
    const refusals = [
      { origin: 'http://evil.example' },
      { origin: `http://127.0.0.1:${host.port + 1}` },
      // The scheme must be the one the connection arrived with.
      { origin: `https://${own}` },
      { secure: true, origin: `http://${own}` },
      { origin: 'null' },
      // DNS rebinding: a foreign name that now points at the host, with a matching Host header.
      {
        origin: `http://evil.example:${host.port}`,
        headers: { Host: `evil.example:${host.port}` },
      },
    ];
    for (const attempt of refusals) {
      const outcome = await handshake(host.port, attempt);
      expect(outcome, JSON.stringify(attempt)).toEqual({
        opened: false,
        status: 403,
        body: 'WebSocket connections are accepted only from pages served by this Parley host.\n',
      });
    }
    expect(joined).toBe(0);
  });

  it('lets in extra origins it was given (a development server)', async () => {
    const host = await testHost({ allowedOrigins: ['http://localhost:5173'] });
    expect(await handshake(host.port, { origin: 'http://localhost:5173' })).toMatchObject({
      opened: true,
    });
    expect(await handshake(host.port, { origin: 'http://localhost:5174' })).toMatchObject({
      status: 403,
    });
  });
});

describe('createRequestGuard', () => {
  const fakeRequest = (encrypted: boolean, origin?: string) =>
    ({
      socket: { encrypted, remoteAddress: '192.168.1.7' },
      headers: { host: '192.168.1.20:7420', ...(origin === undefined ? {} : { origin }) },
    }) as unknown as IncomingMessage;
  const guardFor = (allowCleartext: boolean) =>
    createRequestGuard({
      // Every peer counts as another machine here.
      transport: createTransportPolicy(allowCleartext, () => false),
      allowedOrigins: [],
      hostnames: [],
    });

  it('refuses cleartext from another machine, for requests and handshakes alike', () => {
    const guard = guardFor(false);
    const refusal = {
      status: 403,
      message: expect.stringMatching(/only from its own machine: use https:\/\//),
    };
    expect(guard.request(fakeRequest(false))).toEqual(refusal);
    expect(guard.upgrade(fakeRequest(false))).toEqual(refusal);
    expect(guard.request(fakeRequest(true))).toBeUndefined();
    expect(guard.upgrade(fakeRequest(true, 'https://192.168.1.20:7420'))).toBeUndefined();
  });

  it('lets cleartext in when the host allows it, the origin rule still applying', () => {
    const guard = guardFor(true);
    expect(guard.request(fakeRequest(false))).toBeUndefined();
    expect(guard.upgrade(fakeRequest(false, 'http://192.168.1.20:7420'))).toBeUndefined();
    expect(guard.upgrade(fakeRequest(false, 'http://192.168.1.99:7420'))).toMatchObject({
      status: 403,
    });
  });
});
