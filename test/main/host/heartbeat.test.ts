import { describe, expect, it } from 'vitest';
import { PlainClient, V1Client } from './helpers/clients';
import { testHost } from './helpers/host';

const INTERVAL = 150;
// Two intervals, plus room for a busy machine to run the timers late.
const DEADLINE = 2 * INTERVAL + 250;

describe('liveness', () => {
  it('terminates a socket that stops answering pings and reports it left within two intervals', async () => {
    const host = await testHost({ limits: { heartbeatIntervalMs: INTERVAL } });
    const { client: bob } = await V1Client.join(host.port, 'bob');
    const started = Date.now();
    const { client: ghost } = await V1Client.join(host.port, 'ghost', {}, { autoPong: false });
    const left = await bob.next('left', 2000);
    expect(left.peer.name).toBe('ghost');
    expect(Date.now() - started).toBeLessThanOrEqual(DEADLINE);
    // Terminated: no close frame reached the client.
    expect((await ghost.waitClosed()).code).toBe(1006);
    expect(host.peers().map((peer) => peer.name)).toEqual(['bob']);
  });

  it('keeps answering sockets connected across many intervals', async () => {
    const host = await testHost({ limits: { heartbeatIntervalMs: INTERVAL } });
    const { client: bob } = await V1Client.join(host.port, 'bob');
    // The ghost's drop takes at least two intervals; bob must still be there after it.
    await V1Client.join(host.port, 'ghost', {}, { autoPong: false });
    await bob.next('left', 2000);
    const { client: carol } = await V1Client.join(host.port, 'carol', {}, { autoPong: false });
    await bob.next('left', 2000, (frame) => frame.peer.name === 'carol');
    expect(carol.received('welcome')).toHaveLength(1);
    expect(host.peers().map((peer) => peer.name)).toEqual(['bob']);
    bob.send({ type: 'ping' });
    await bob.next('pong');
  });

  it('pings a big room a slice at a time, not everyone in the same tick', async () => {
    const interval = 1000;
    const host = await testHost({ limits: { heartbeatIntervalMs: interval } });
    const clients = await Promise.all(
      Array.from({ length: 20 }, (_, index) => V1Client.join(host.port, `p${index}`)),
    );
    // The ping each client gets after the one sent on connect: one per client per interval.
    const secondPings = clients.map(
      ({ client }) =>
        new Promise<number>((resolve) => {
          let seen = 0;
          client.socket.on('ping', () => {
            if (++seen === 1) resolve(performance.now());
          });
        }),
    );
    const times = await Promise.all(secondPings);
    const spreadMs = Math.max(...times) - Math.min(...times);
    // Ten slots a tenth of an interval apart: 20 clients span several of them.
    expect(spreadMs).toBeGreaterThanOrEqual(interval / 2);
    expect(spreadMs).toBeLessThan(interval + 250);
    expect(host.peers()).toHaveLength(20);
  });

  it('checks plain clients too', async () => {
    const host = await testHost({ limits: { heartbeatIntervalMs: INTERVAL } });
    const { client: bob } = await V1Client.join(host.port, 'bob');
    const started = Date.now();
    const plain = await PlainClient.connect(host.port, '?name=ghost', { autoPong: false });
    expect((await bob.next('left', 2000)).peer.name).toBe('ghost');
    expect(Date.now() - started).toBeLessThanOrEqual(DEADLINE);
    expect((await plain.waitClosed()).code).toBe(1006);
  });
});
