import { describe, expect, it } from 'vitest';
import { V1Client } from './helpers/clients';
import { testHost } from './helpers/host';
import { gatedStore } from './helpers/stores';
import { until } from '../../support/wait';

describe('order', () => {
  it('numbers messages 1, 2, 3... and every client sees the same seqs in the same order', async () => {
    const host = await testHost({ limits: { rateBurst: 100 } });
    const names = ['alice', 'bob', 'carol'];
    const clients = await Promise.all(
      names.map(async (name) => (await V1Client.join(host.port, name)).client),
    );
    const perSender = 20;
    const total = perSender * names.length;
    // Interleave the senders so their frames reach the host concurrently.
    for (let index = 0; index < perSender; index++) {
      clients.forEach((client, sender) => client.say(`${names[sender]}-${index}`, `${index}`));
    }
    await Promise.all(
      clients.map((client) => client.next('message', 5000, (message) => message.seq === total)),
    );
    const views = clients.map((client) =>
      client.received('message').map((message) => `${message.seq}:${message.id}`),
    );
    expect(views[0]).toHaveLength(total);
    expect(views[0]!.map((entry) => Number(entry.split(':')[0]))).toEqual(
      Array.from({ length: total }, (_, index) => index + 1),
    );
    expect(views[1]).toEqual(views[0]);
    expect(views[2]).toEqual(views[0]);
    // Each sender's acks name the seq its message got in everyone's view.
    clients.forEach((client, sender) => {
      const acks = client.received('ack');
      expect(acks).toHaveLength(perSender);
      for (const ack of acks) expect(views[0]).toContain(`${ack.seq}:${ack.id}`);
      expect(acks.every((ack) => ack.id.startsWith(`${names[sender]}-`))).toBe(true);
    });
  });
});

describe('the window between append and broadcast', () => {
  it('acks and broadcasts nothing until the store has the message', async () => {
    const gated = gatedStore();
    const host = await testHost({ store: gated.store });
    const { client: alice } = await V1Client.join(host.port, 'alice');
    gated.hold();
    alice.say('held', 'wait for the disk');
    await until(() => gated.store.lastSeq('general') === 1, 2000, 'the append');
    alice.send({ type: 'ping' });
    await alice.next('pong');
    expect(alice.received('ack')).toEqual([]);
    expect(alice.received('message')).toEqual([]);
    gated.release();
    expect(await alice.next('ack')).toEqual({ type: 'ack', id: 'held', seq: 1 });
    expect((await alice.next('message')).seq).toBe(1);
  });

  it('gives a client that joins meanwhile every later message exactly once, after its welcome', async () => {
    const gated = gatedStore();
    const host = await testHost({ store: gated.store });
    const { client: alice } = await V1Client.join(host.port, 'alice');
    gated.hold();
    alice.say('in-flight', 'one');
    await until(
      () => gated.store.lastDurableSeq('general') === 1,
      2000,
      'the message to be durable',
    );
    // Stored but not yet broadcast: not in the welcome, and lastSeq does not claim it.
    const { client: bob, welcome } = await V1Client.join(host.port, 'bob');
    expect(welcome.history).toEqual([]);
    expect(welcome.lastSeq).toBe(0);
    bob.send({ type: 'history', before: 100, limit: 10 });
    expect((await bob.next('history')).messages).toEqual([]);
    gated.release();
    expect((await bob.next('message')).seq).toBe(1);
    alice.say('after', 'two');
    expect((await bob.next('message')).seq).toBe(2);
    expect(bob.received('message').map((message) => message.seq)).toEqual([1, 2]);
  });

  it('answers a retry that races its original with the same seq once the original is stored', async () => {
    const gated = gatedStore();
    const host = await testHost({ store: gated.store });
    const { client: alice } = await V1Client.join(host.port, 'alice');
    const { client: bob } = await V1Client.join(host.port, 'bob');
    gated.hold();
    alice.say('race', 'once');
    await until(() => gated.store.lastSeq('general') === 1, 2000, 'the append');
    alice.say('race', 'once');
    alice.send({ type: 'ping' });
    await alice.next('pong');
    expect(alice.received('ack')).toEqual([]);
    gated.release();
    expect(await alice.next('ack')).toEqual({ type: 'ack', id: 'race', seq: 1 });
    expect(await alice.next('ack')).toEqual({ type: 'ack', id: 'race', seq: 1 });
    bob.say('later', 'two');
    await bob.next('message', undefined, (message) => message.seq === 2);
    expect(bob.received('message').map((message) => message.id)).toEqual(['race', 'later']);
  });
});

describe('the welcome peer list (cached between joins)', () => {
  it('lists everyone present, in join order, across joins, leaves and rejoins', async () => {
    const host = await testHost();
    const names = (welcome: { peers: { name: string }[] }) => welcome.peers.map((p) => p.name);
    const { client: alice, welcome: first } = await V1Client.join(host.port, 'alice');
    expect(names(first)).toEqual(['alice']);
    const { client: bob, welcome: second } = await V1Client.join(host.port, 'bob');
    expect(names(second)).toEqual(['alice', 'bob']);
    const { welcome: third } = await V1Client.join(host.port, 'carol');
    expect(names(third)).toEqual(['alice', 'bob', 'carol']);
    expect(third.peers).toEqual(host.peers());

    bob.close();
    await alice.next('left', 2000, (frame) => frame.peer.name === 'bob');
    const { welcome: fourth } = await V1Client.join(host.port, 'dave');
    expect(names(fourth)).toEqual(['alice', 'carol', 'dave']);
    const { welcome: fifth } = await V1Client.join(host.port, 'bob');
    expect(names(fifth)).toEqual(['alice', 'carol', 'dave', 'bob']);
    expect(fifth.self.name).toBe('bob');
    expect(fifth.peers).toEqual(host.peers());
  });
});
