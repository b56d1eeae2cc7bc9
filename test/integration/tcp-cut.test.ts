/**
 * A client's TCP connection dies while it is sending (the socket is destroyed like a pulled
 * cable): nothing acknowledged may be lost and nothing duplicated. The outbox re-sends what the
 * host may not have seen with the same ids, and the host answers a repeated id with the ack of the
 * original seq instead of storing it again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, closeAllClients } from './helpers/chat-client';
import { closeDiskHosts, DiskHost } from './helpers/disk-host';
import { RawClient, terminateRawClients } from './helpers/raw-client';
import { readStoredHistory } from './helpers/stored-history';
import { expectEveryoneAgrees, expectPostedOnce } from './helpers/stream-checks';
import { tempDirs } from './helpers/temp-dirs';
import { until } from '../support/wait';

const dirs = tempDirs('tcp-cut');

afterEach(async () => {
  terminateRawClients();
  await closeAllClients();
  await closeDiskHosts();
  await dirs.removeAll();
});

const BURST = 8;
const WAIT_MS = 10_000;

/** Posts `count` numbered messages at once. */
function postBurst(client: ChatClient, round: number, count: number): void {
  for (let n = 1; n <= count; n++) client.send(`${client.name} round ${round} #${n}`);
}

/** The ways a cut can land, each forced rather than left to timing. */
type CutKind = 'acks-unread' | 'frames-unsent' | 'mid-burst';

async function cutWhileSending(client: ChatClient, host: DiskHost, round: number, kind: CutKind) {
  const tcp = client.sockets.latest?.tcp;
  if (!tcp) throw new Error('no open connection to cut');
  const stored = host.durableSeq;
  switch (kind) {
    case 'acks-unread':
      // The host stores the burst, but its acks die in our receive buffer.
      tcp.pause();
      postBurst(client, round, BURST);
      await host.whenDurable(stored + BURST, WAIT_MS);
      break;
    case 'frames-unsent': {
      // Half the burst reaches the host; the other half is still in our send buffer when the
      // cable goes.
      postBurst(client, round, BURST / 2);
      await host.whenDurable(stored + BURST / 2, WAIT_MS);
      tcp.cork();
      postBurst(client, round + 0.5, BURST / 2);
      break;
    }
    case 'mid-burst': {
      const acked = client.acks.length;
      postBurst(client, round, BURST);
      await until(() => client.acks.length > acked, WAIT_MS, 'the first ack of the burst');
      break;
    }
  }
  const welcomes = client.welcomes.length;
  tcp.destroy();
  await until(
    () => client.welcomes.length > welcomes && client.session.state === 'open',
    WAIT_MS,
    `${client.name} to reconnect`,
  );
}

describe('a client whose connection is cut while sending', () => {
  it('loses nothing acknowledged and duplicates nothing; re-sends keep their ids', async () => {
    const host = await DiskHost.start(await dirs.make());
    const sender = new ChatClient({ url: host.url, name: 'sender' });
    const watcher = new ChatClient({ url: host.url, name: 'watcher' });
    await Promise.all([sender.connect(), watcher.connect()]);

    const kinds: CutKind[] = ['acks-unread', 'frames-unsent', 'mid-burst'];
    for (let round = 0; round < 2 * kinds.length; round++) {
      await cutWhileSending(sender, host, round, kinds[round % kinds.length]!);
    }
    const total = sender.posted.length;
    await Promise.all([sender.settled(total, WAIT_MS), watcher.settled(total, WAIT_MS)]);
    const selfIds = new Set(sender.welcomes.map(({ selfId }) => selfId));
    await host.stop();

    const stored = await readStoredHistory(host.dir);
    expect(stored.messages).toHaveLength(total);
    expectEveryoneAgrees([sender, watcher], stored.messages);
    expect(expectPostedOnce(sender, stored.messages)).toBe(total);
    // Every reconnect resumed the same peer, so its say ids kept meaning the same messages.
    expect(selfIds.size).toBe(1);

    // What went out on the wire: only ids that were posted, each re-send with its first text,
    // and re-sends did happen (the frames that never left were sent again).
    const says = sender.sockets.saysSent();
    const textById = new Map<string, string>();
    for (const { id, text } of says) {
      expect(textById.get(id) ?? text, `re-send of ${id}`).toBe(text);
      textById.set(id, text);
    }
    expect(new Set(textById.keys())).toEqual(new Set(sender.posted));
    expect(says.length).toBeGreaterThan(total);
  }, 60_000);

  it('acks a repeated say id with the original seq and stores it once', async () => {
    const host = await DiskHost.start(await dirs.make());
    const { client: observer } = await RawClient.join(host.url, 'observer');
    const { client: first, welcome } = await RawClient.join(host.url, 'repeater');
    const ids = ['a', 'b', 'c', 'd', 'e'];

    // Stored, acknowledged into a connection that is never read again, then cut.
    first.tcp?.pause();
    for (const id of ids) first.say(id, `text ${id}`);
    await host.whenDurable(ids.length, WAIT_MS);
    first.tcp?.destroy();

    const resume = { token: welcome.token, lastSeq: 0 };
    const { client: second, welcome: resumed } = await RawClient.join(host.url, 'repeater', resume);
    expect(resumed.self).toEqual(welcome.self);
    expect(resumed.history.map(({ seq, id }) => [seq, id])).toEqual(
      ids.map((id, index) => [index + 1, id]),
    );
    // A client that did not match its history sends everything again.
    for (const id of ids) second.say(id, `text ${id}`);
    for (const [index, id] of ids.entries()) {
      expect(await second.next('ack', (ack) => ack.id === id)).toEqual({
        type: 'ack',
        id,
        seq: index + 1,
      });
    }
    // A retry racing its original on one connection: both answered with the same seq.
    second.say('f', 'text f');
    second.say('f', 'text f');
    const acksOfF = [await second.next('ack'), await second.next('ack')];
    expect(acksOfF).toEqual([
      { type: 'ack', id: 'f', seq: 6 },
      { type: 'ack', id: 'f', seq: 6 },
    ]);
    await observer.next('message', (message) => message.seq === 6);

    expect(observer.received('message').map(({ seq, id }) => [seq, id])).toEqual(
      [...ids, 'f'].map((id, index) => [index + 1, id]),
    );
    expect(second.received('message').map(({ seq }) => seq)).toEqual([6]);
    expect([...observer.invalid, ...second.invalid]).toEqual([]);
    await host.stop();
    const stored = await readStoredHistory(host.dir);
    expect(stored.messages.map(({ seq, id }) => [seq, id])).toEqual(
      [...ids, 'f'].map((id, index) => [index + 1, id]),
    );
  });
});
