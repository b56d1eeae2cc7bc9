/**
 * Frames sent behind a `hello` whose password check is delayed: the host stops reading the
 * connection until the check ends, so only frames that arrived in the same read wait (more than
 * 1,000 of those close with 1008); the rest wait unread in TCP, and a wrong password then closes
 * with 4003 as always. TLS reads at most one record (16 KiB) at a time, cleartext up to 64 KiB.
 */
import { describe, expect, it } from 'vitest';
import { V1Client } from '../main/host/helpers/clients';
import { testHost } from '../main/host/helpers/host';
import { ensureCertificate } from '../../main/tls/certificate';
import { tempDir } from '../main/host/helpers/host';

const PINGS = 1500;

/** A wrong password whose check the throttle delays (a second attempt), then PINGS pings at once. */
async function helloThenPings(port: number, secure: boolean) {
  const first = await V1Client.connect(port, { secure });
  first.send({ type: 'hello', name: 'guesser', password: 'wrong' });
  await first.waitClosed();
  const client = await V1Client.connect(port, { secure });
  const hello = JSON.stringify({ type: 'hello', name: 'guesser', password: 'wrong again' });
  const ping = JSON.stringify({ type: 'ping' });
  // Corked: one write, so the frames arrive together.
  const tcp = (client.socket as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
  tcp.cork();
  client.sendRaw(hello);
  for (let n = 0; n < PINGS; n++) client.sendRaw(ping);
  tcp.uncork();
  return client.waitClosed(5000);
}

describe('frames behind a delayed password check', () => {
  it('close with 1008 when more than 1,000 arrived in one read (cleartext)', async () => {
    const host = await testHost({ password: 'sesame' });
    expect((await helloThenPings(host.port, false)).code).toBe(1008);
  });

  it('wait unread in TCP otherwise, and a wrong password closes with 4003 (TLS)', async () => {
    const { cert, key } = await ensureCertificate(await tempDir(), { hostnames: [] });
    const host = await testHost({ password: 'sesame', tls: { cert, key } });
    expect((await helloThenPings(host.port, true)).code).toBe(4003);
  });
});
