/**
 * Protocol v2 on the durable host: a client resumes with its cursors across a restart of the
 * host on the same SQLite directory and gets exactly what it missed in each conversation; and
 * parley.v1 and plain clients keep living in `general` exactly as before while v2 traffic flows
 * in channels and direct conversations around them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Entry } from '../../protocol/wire/entries';
import { directConversationId } from '../../protocol/wire/identity';
import { PlainClient, V1Client } from '../main/host/helpers/clients';
import { newIdentity, V2Client } from '../main/host/helpers/v2-client';
import { closeDiskHosts, DiskHost } from './helpers/disk-host';
import { tempDirs } from './helpers/temp-dirs';

const dirs = tempDirs('v2-conversations');

afterEach(async () => {
  await closeDiskHosts();
  await dirs.removeAll();
});

const WAIT_MS = 10_000;

/** Posts `count` messages to `conv` and waits for the last ack; resolves with their ids. */
async function post(client: V2Client, conv: string, prefix: string, count: number) {
  const ids = Array.from({ length: count }, (_, index) => `${prefix}-${index}`);
  for (const id of ids) client.say(id, conv, `${prefix} text`);
  await client.next('ack', WAIT_MS, (ack) => ack.id === ids.at(-1));
  return ids;
}

/** The newest seq of each conversation a client was shown, by catchup or live. */
function cursorsOf(client: V2Client): Record<string, number> {
  const cursors: Record<string, number> = {};
  const see = (entry: Entry) =>
    (cursors[entry.conv] = Math.max(cursors[entry.conv] ?? 0, entry.seq));
  for (const frame of client.frames.all) {
    if (frame.type === 'catchup') frame.messages.forEach(see);
    if (frame.type === 'message') see(frame as unknown as Entry);
  }
  return cursors;
}

describe('resume across a restart on SQLite', () => {
  it('gives a returning client exactly the entries it missed, per conversation', async () => {
    const host = await DiskHost.start(await dirs.make());
    const alice = newIdentity();
    const bob = newIdentity();
    const { client: away, welcome } = await V2Client.join(host.port, 'alice', {
      identity: alice.identity,
    });
    let { client: poster, welcome: bobWelcome } = await V2Client.join(host.port, 'bob', {
      identity: bob.identity,
    });
    poster.send({ type: 'create_channel', id: 'make-dev', name: 'dev' });
    const dev = (await poster.next('ack')).conv;
    away.send({ type: 'join', conv: dev });
    await away.nextIn('catchup', dev);
    poster.send({ type: 'open_direct', peer: alice.peerId });
    const direct = directConversationId(alice.peerId, bob.peerId);
    await away.nextIn('catchup', direct);
    await post(poster, 'general', 'g1', 3);
    await post(poster, dev, 'c1', 2);
    await post(poster, direct, 'd1', 2);
    await away.nextIn('message', direct, (entry) => entry.id === 'd1-1');
    const cursors = cursorsOf(away);
    expect(cursors).toEqual({ general: 3, [dev]: 4, [direct]: 2 });
    away.close();
    await poster.next('left');

    const missed = {
      general: await post(poster, 'general', 'g2', 2),
      [dev]: await post(poster, dev, 'c2', 3),
      [direct]: await post(poster, direct, 'd2', 1),
    };
    await host.restart();
    ({ client: poster, welcome: bobWelcome } = await V2Client.join(host.port, 'bob', {
      identity: bob.identity,
      resume: { token: bobWelcome.token },
    }));
    missed.general!.push(...(await post(poster, 'general', 'g3', 2)));
    missed[dev]!.push(...(await post(poster, dev, 'c3', 1)));

    const { client: back, welcome: again } = await V2Client.join(host.port, 'alice', {
      identity: alice.identity,
      resume: { token: welcome.token, cursors },
    });
    expect(again.token).toBe(welcome.token);
    expect(again.conversations.map(({ id, lastSeq }) => [id, lastSeq])).toEqual([
      ['general', 7],
      [dev, 8],
      [direct, 3],
    ]);
    await back.nextIn('catchup', direct);
    for (const catchup of back.received('catchup')) {
      expect(catchup.gap, catchup.conv).toBe(false);
      expect(
        catchup.messages.map((entry) => entry.id),
        catchup.conv,
      ).toEqual(missed[catchup.conv]);
      expect(catchup.messages[0]!.seq, catchup.conv).toBe(cursors[catchup.conv]! + 1);
    }
    poster.say('live', dev, 'and on it goes');
    expect(await back.nextIn('message', dev)).toMatchObject({ id: 'live', seq: 9 });
    expect([...back.invalid, ...poster.invalid]).toEqual([]);
  });
});

describe('parley.v1 and plain beside parley.v2', () => {
  it('see general exactly as before while channels and direct conversations are busy', async () => {
    const host = await DiskHost.start(await dirs.make());
    const { client: ada } = await V1Client.join(host.port, 'ada');
    const { client: grace } = await V1Client.join(host.port, 'grace');
    const plain = await PlainClient.connect(host.port, '?name=linus');
    await plain.nextLine((line) => line === '* linus joined');
    const alice = newIdentity();
    const bob = newIdentity();
    const { client: aliceClient } = await V2Client.join(host.port, 'alice', {
      identity: alice.identity,
    });
    const { client: bobClient } = await V2Client.join(host.port, 'bob', { identity: bob.identity });
    aliceClient.send({ type: 'create_channel', id: 'make-dev', name: 'dev' });
    const dev = (await aliceClient.next('ack')).conv;
    bobClient.send({ type: 'join', conv: dev });
    await bobClient.nextIn('catchup', dev);
    aliceClient.send({ type: 'open_direct', peer: bob.peerId });
    const direct = directConversationId(alice.peerId, bob.peerId);
    await aliceClient.nextIn('catchup', direct);

    aliceClient.say('first', dev, 'react to me');
    const { seq: target } = await aliceClient.next('ack', WAIT_MS, (ack) => ack.id === 'first');
    const ROUNDS = 30;
    for (let round = 0; round < ROUNDS; round++) {
      ada.say(`ada-${round}`, `ada ${round}`);
      grace.say(`grace-${round}`, `grace ${round}`);
      plain.send(`linus ${round}`);
      aliceClient.say(`dev-${round}`, dev, `dev ${round}`);
      bobClient.say(`direct-${round}`, direct, `direct ${round}`);
      if (round % 3 === 0) aliceClient.say(`general-${round}`, 'general', `alice ${round}`);
      if (round % 5 === 0) {
        const on = round % 2 === 0;
        aliceClient.send({
          type: 'react',
          id: `react-${round}`,
          conv: dev,
          target,
          emoji: '👍',
          on,
        });
      }
    }
    const generalCount = ROUNDS * 3 + Math.ceil(ROUNDS / 3);
    for (const client of [ada, grace]) {
      await client.next('message', WAIT_MS, (message) => message.seq === generalCount);
    }
    await bobClient.nextIn('message', dev, (entry) => entry.id === `dev-${ROUNDS - 1}`);
    await aliceClient.nextIn('message', direct, (entry) => entry.id === `direct-${ROUNDS - 1}`);

    // parley.v1: every frame valid v1, the messages exactly general's, in seq order, nothing else.
    const adaSeqs = ada.received('message').map((message) => message.seq);
    expect(adaSeqs).toEqual(Array.from({ length: generalCount }, (_, index) => index + 1));
    expect(grace.received('message')).toEqual(ada.received('message'));
    for (const client of [ada, grace]) {
      expect(client.invalid).toEqual([]);
      expect(new Set(client.frames.all.map((frame) => frame.type))).toEqual(
        new Set(['welcome', 'joined', 'message', 'ack']),
      );
      expect(client.received('message').some((message) => /^(dev|direct)/.test(message.text))).toBe(
        false,
      );
    }
    expect(ada.received('ack').map((ack) => ack.id)).toEqual(
      Array.from({ length: ROUNDS }, (_, round) => `ada-${round}`),
    );
    // plain: one line per general message, in the same order.
    const lines = await Promise.all(
      Array.from({ length: generalCount }, () => plain.nextLine((line) => !line.startsWith('*'))),
    );
    expect(lines).toEqual(ada.received('message').map(({ from, text }) => `${from.name}: ${text}`));

    // parley.v2: each conversation's entries contiguous and in order, for both members.
    for (const client of [aliceClient, bobClient]) {
      for (const conv of [dev, direct]) {
        const seqs = client
          .receivedIn(conv)
          .flatMap((frame) =>
            frame.type === 'catchup'
              ? frame.messages.map((entry) => entry.seq)
              : frame.type === 'message'
                ? [frame.seq]
                : [],
          );
        expect(seqs, conv).toEqual(Array.from({ length: seqs.length }, (_, index) => index + 1));
      }
      expect(client.invalid).toEqual([]);
      expect(client.received('error')).toEqual([]);
    }
  }, 30_000);
});
