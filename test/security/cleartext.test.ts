/**
 * The cleartext policy with a real peer on another address: the host in one network namespace,
 * the peer in another, joined by a veth pair (support/netns.ts); loopback probes run next to the
 * host. Unencrypted connections from the peer are refused unless allowed; passwords never travel
 * in them; TLS works from anywhere; the per-address cap counts the peer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEARTEXT_REFUSED, PASSWORD_NEEDS_TLS } from '../../main/host/security/transport-policy';
import { ensureCertificate } from '../../main/tls/certificate';
import { createLab, type Lab } from './support/netns';

let lab: Lab;
let certificateDir: string;

beforeAll(async () => {
  certificateDir = await mkdtemp(join(tmpdir(), 'parley-netns-cert-'));
  const { cert, key } = await ensureCertificate(certificateDir, { hostnames: [] });
  lab = await createLab();
  const fast = { delaysMs: [0], maxFailures: 100 };
  await lab.startHosts({
    strict: {
      tls: { cert, key },
      password: 'sesame',
      maxConnectionsPerAddress: 3,
      authThrottle: fast,
    },
    openCleartext: { tls: { cert, key }, allowCleartext: true },
    passwordCleartext: { tls: { cert, key }, allowCleartext: true, password: 'sesame' },
  });
}, 60_000);

afterAll(async () => {
  await lab?.close();
  await rm(certificateDir, { recursive: true, force: true });
}, 30_000);

const at = (name: string, scheme: string, path: string, from: 'peer' | 'host' = 'peer') =>
  `${scheme}://${from === 'peer' ? lab.hostAddress : '127.0.0.1'}:${lab.ports[name]}${path}`;

describe('a host that does not allow cleartext', () => {
  it('refuses plain HTTP and ws:// from another machine with 403 and a sentence', async () => {
    const [info, v1, plain] = await lab.probe('peer', [
      { kind: 'http', url: at('strict', 'http', '/api/info') },
      { kind: 'v1', url: at('strict', 'ws', '/ws'), hello: { type: 'hello', name: 'eve' } },
      { kind: 'plain', url: at('strict', 'ws', '/ws?name=eve&password=sesame') },
    ]);
    expect(info).toEqual({ kind: 'http', status: 403, body: `${CLEARTEXT_REFUSED}\n` });
    expect(v1).toEqual({ kind: 'refused', status: 403, body: `${CLEARTEXT_REFUSED}\n` });
    expect(plain).toEqual({ kind: 'refused', status: 403, body: `${CLEARTEXT_REFUSED}\n` });
  });

  it('serves the same machine over TLS', async () => {
    const [info, v1, plain] = await lab.probe('peer', [
      { kind: 'http', url: at('strict', 'https', '/api/info') },
      {
        kind: 'v1',
        url: at('strict', 'wss', '/ws'),
        hello: { type: 'hello', name: 'alice', password: 'sesame' },
      },
      { kind: 'plain', url: at('strict', 'wss', '/ws?name=bob&password=sesame') },
    ]);
    expect(info).toMatchObject({ kind: 'http', status: 200 });
    expect(v1).toMatchObject({ kind: 'v1', first: { type: 'welcome', self: { name: 'alice' } } });
    expect(plain).toEqual({ kind: 'plain', first: '* bob joined', closeCode: undefined });
  });

  it('accepts cleartext, password included, from its own machine', async () => {
    const [info, v1] = await lab.probe('host', [
      { kind: 'http', url: at('strict', 'http', '/api/info', 'host') },
      {
        kind: 'v1',
        url: at('strict', 'ws', '/ws', 'host'),
        hello: { type: 'hello', name: 'local', password: 'sesame' },
      },
    ]);
    expect(info).toMatchObject({ kind: 'http', status: 200 });
    expect(v1).toMatchObject({ kind: 'v1', first: { type: 'welcome' } });
  });

  it('drops a connection over the per-address cap at once, before any TLS', async () => {
    const [cap] = await lab.probe('peer', [
      { kind: 'tcp-cap', host: lab.hostAddress, port: lab.ports.strict!, open: 3 },
    ]);
    expect(cap).toEqual({ kind: 'tcp-cap', stillOpen: 3, extraClosedAtOnce: true, extraData: '' });
  });
});

describe('a host started with --allow-cleartext', () => {
  it('lets another machine join an open room without encryption', async () => {
    const [info, v1] = await lab.probe('peer', [
      { kind: 'http', url: at('openCleartext', 'http', '/api/info') },
      { kind: 'v1', url: at('openCleartext', 'ws', '/ws'), hello: { type: 'hello', name: 'carl' } },
    ]);
    expect(info).toMatchObject({ kind: 'http', status: 200 });
    expect(v1).toMatchObject({ kind: 'v1', first: { type: 'welcome' } });
  });

  it('still refuses any password sent without encryption from another machine', async () => {
    const refusal = { type: 'error', code: 'auth_failed', message: PASSWORD_NEEDS_TLS };
    const [openWithPassword, roomPassword, plainPassword, overTls] = await lab.probe('peer', [
      {
        kind: 'v1',
        url: at('openCleartext', 'ws', '/ws'),
        hello: { type: 'hello', name: 'dora', password: 'habit' },
      },
      {
        kind: 'v1',
        url: at('passwordCleartext', 'ws', '/ws'),
        hello: { type: 'hello', name: 'dora', password: 'sesame' },
      },
      { kind: 'plain', url: at('passwordCleartext', 'ws', '/ws?name=dora&password=sesame') },
      {
        kind: 'v1',
        url: at('passwordCleartext', 'wss', '/ws'),
        hello: { type: 'hello', name: 'dora', password: 'sesame' },
      },
    ]);
    expect(openWithPassword).toEqual({ kind: 'v1', first: refusal, closeCode: 4003 });
    expect(roomPassword).toEqual({ kind: 'v1', first: refusal, closeCode: 4003 });
    expect(plainPassword).toEqual({
      kind: 'plain',
      first: `* error auth_failed: ${PASSWORD_NEEDS_TLS}`,
      closeCode: 4003,
    });
    expect(overTls).toMatchObject({ kind: 'v1', first: { type: 'welcome' } });
  });
});
