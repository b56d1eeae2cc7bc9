/**
 * Half-open connections: a peer whose socket stays open but that no longer answers pings (a
 * sleeping laptop, a dead Wi-Fi link) must be reported `left` to everyone else within the
 * heartbeat rule (two unanswered pings), while peers that do answer are never dropped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHost } from '../../main/host/server';
import type { ParleyHost } from '../../main/host/types';
import type { Peer } from '../../protocol/wire/frames';
import { ChatClient, closeAllClients } from './helpers/chat-client';
import { RawClient, terminateRawClients } from './helpers/raw-client';
import { nextEvent } from '../support/session-events';
import { delay, withTimeout } from '../support/wait';

const HEARTBEAT_MS = 400;
/** Timers on a busy 2-core machine fire late; never early. */
const SLACK_MS = 500;

const hosts: ParleyHost[] = [];
afterEach(async () => {
  terminateRawClients();
  await closeAllClients();
  await Promise.all(hosts.splice(0).map((host) => host.close()));
});

async function heartbeatHost(): Promise<ParleyHost> {
  const host = await startHost({
    host: '127.0.0.1',
    port: 0,
    limits: { heartbeatIntervalMs: HEARTBEAT_MS },
  });
  hosts.push(host);
  return host;
}

const urlOf = (host: ParleyHost) => `ws://127.0.0.1:${host.port}/ws`;

/** Resolves with the time `observer` hears that `peer` left. */
function leftAt(observer: ChatClient, peer: Peer, ms: number): Promise<number> {
  return nextEvent(observer.session, 'left', (left) => left.id === peer.id, ms).then(() =>
    performance.now(),
  );
}

describe('a peer that stops answering pings', () => {
  it('is reported left within two heartbeat intervals; answering peers stay', async () => {
    const host = await heartbeatHost();
    const observer = new ChatClient({ url: urlOf(host), name: 'observer' });
    const steady = new ChatClient({ url: urlOf(host), name: 'steady' });
    await Promise.all([observer.connect(), steady.connect()]);

    const joinedAt = performance.now();
    const { client: ghost, welcome } = await RawClient.join(urlOf(host), 'ghost', undefined, {
      autoPong: false,
    });
    const left = await leftAt(observer, welcome.self, 2 * HEARTBEAT_MS + SLACK_MS + 1000);
    expect(left - joinedAt).toBeLessThanOrEqual(2 * HEARTBEAT_MS + SLACK_MS);
    // Terminated, not closed: a dead peer would never answer a close frame.
    expect((await ghost.waitClosed()).code).toBe(1006);

    // The peers that answer pings outlive several more intervals (an absence: nothing to await).
    await delay(4 * HEARTBEAT_MS);
    expect(observer.departures.map(({ name }) => name)).toEqual(['ghost']);
    expect(host.peers().map(({ name }) => name)).toEqual(['observer', 'steady']);
    expect(observer.session.peers.map(({ name }) => name).sort()).toEqual(['observer', 'steady']);
  });

  it('is dropped once two pings in a row go unanswered after it fell silent', async () => {
    const host = await heartbeatHost();
    const observer = new ChatClient({ url: urlOf(host), name: 'observer' });
    await observer.connect();
    const { client: laptop, welcome } = await RawClient.join(urlOf(host), 'laptop', undefined, {
      autoPong: false,
    });
    let answering = true;
    let pongs = 0;
    let answeredThree: () => void = () => {};
    const threeAnswered = new Promise<void>((resolve) => (answeredThree = resolve));
    laptop.socket.on('ping', (data) => {
      if (!answering) return;
      laptop.socket.pong(data);
      if (++pongs === 3) answeredThree();
    });
    // Answering pings by hand keeps it in the room through more than two intervals.
    await withTimeout(threeAnswered, 10 * HEARTBEAT_MS, 'three pings answered');
    expect(host.peers().map(({ name }) => name)).toContain('laptop');
    expect(observer.departures).toEqual([]);

    const silentAt = performance.now();
    answering = false;
    const left = await leftAt(observer, welcome.self, 3 * HEARTBEAT_MS + SLACK_MS + 1000);
    // Two pings must go unanswered, and the second one gets a full interval to be answered:
    // between two and three intervals after the peer fell silent.
    expect(left - silentAt).toBeGreaterThanOrEqual(HEARTBEAT_MS);
    expect(left - silentAt).toBeLessThanOrEqual(3 * HEARTBEAT_MS + SLACK_MS);
  });
});
