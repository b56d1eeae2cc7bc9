import { describe, expect, it } from 'vitest';
import { V1Client } from './helpers/clients';
import { testHost } from './helpers/host';

describe('say, ack and message', () => {
  it('stores a say, acks the sender and broadcasts the message to everyone, sender included', async () => {
    const host = await testHost();
    const { client: alice, welcome } = await V1Client.join(host.port, 'alice');
    const { client: bob } = await V1Client.join(host.port, 'bob');
    alice.say('a-1', '  hello room  ');
    expect(await alice.next('ack')).toEqual({ type: 'ack', id: 'a-1', seq: 1 });
    for (const client of [alice, bob]) {
      const message = await client.next('message');
      // The text is stored and sent verbatim, surrounding spaces included.
      expect(message).toMatchObject({
        seq: 1,
        id: 'a-1',
        text: '  hello room  ',
        from: welcome.self,
      });
      expect(Math.abs(message.ts - Date.now())).toBeLessThan(5000);
    }
    expect(bob.received('ack')).toEqual([]);
    expect([...alice.invalid, ...bob.invalid]).toEqual([]);
  });

  it('acks a repeated id with the original seq and never stores or broadcasts it twice', async () => {
    const host = await testHost();
    const { client: alice } = await V1Client.join(host.port, 'alice');
    const { client: bob } = await V1Client.join(host.port, 'bob');
    // The retry arrives while the original is still in flight, then again once it is stored.
    alice.say('dup', 'once');
    alice.say('dup', 'once');
    const acks = [await alice.next('ack'), await alice.next('ack')];
    expect(acks).toEqual([
      { type: 'ack', id: 'dup', seq: 1 },
      { type: 'ack', id: 'dup', seq: 1 },
    ]);
    alice.say('dup', 'once, later');
    expect(await alice.next('ack')).toEqual({ type: 'ack', id: 'dup', seq: 1 });
    alice.say('next', 'two');
    expect(await bob.next('message', undefined, (m) => m.id === 'next')).toMatchObject({ seq: 2 });
    expect(bob.received('message').map((message) => message.seq)).toEqual([1, 2]);
  });

  it('keeps say ids apart per sender: the same id from two peers is two messages', async () => {
    const host = await testHost();
    const { client: alice } = await V1Client.join(host.port, 'alice');
    const { client: bob } = await V1Client.join(host.port, 'bob');
    alice.say('same', 'from alice');
    expect((await alice.next('ack')).seq).toBe(1);
    bob.say('same', 'from bob');
    expect((await bob.next('ack')).seq).toBe(2);
  });

  it('acks a retry after a resume on a new connection with the original seq', async () => {
    const host = await testHost();
    const { client: alice, welcome } = await V1Client.join(host.port, 'alice');
    alice.say('before-drop', 'hi');
    await alice.next('ack');
    alice.close();
    await alice.waitClosed();
    const { client: again } = await V1Client.join(host.port, 'alice', {
      resume: { token: welcome.token, lastSeq: 1 },
    });
    again.say('before-drop', 'hi');
    expect(await again.next('ack')).toEqual({ type: 'ack', id: 'before-drop', seq: 1 });
    again.say('after', 'new');
    expect(await again.next('message', undefined, (m) => m.id === 'after')).toMatchObject({
      seq: 2,
    });
    expect(again.received('message').map((message) => message.id)).toEqual(['after']);
  });
});

describe('soft errors keep the connection open', () => {
  it('answers anything that is not a JSON object with bad_json', async () => {
    const host = await testHost();
    const { client } = await V1Client.join(host.port, 'alice');
    for (const raw of ['{not json', '[1,2]', '42', 'null', '"text"', 'true', '']) {
      client.sendRaw(raw);
      const error = await client.next('error');
      expect(error.code, raw).toBe('bad_json');
      expect(error.ref).toBeUndefined();
    }
    client.send({ type: 'ping' });
    await client.next('pong');
  });

  it('answers unknown types, missing or mistyped fields and binary frames with bad_message', async () => {
    const host = await testHost();
    const { client } = await V1Client.join(host.port, 'alice');
    const cases: [unknown, string | undefined][] = [
      [{ type: 'dance', id: 'd1' }, 'd1'],
      [{ id: 'no-type' }, 'no-type'],
      [{ type: 'say', id: 's1' }, 's1'],
      [{ type: 'say', id: 's2', text: 5 }, 's2'],
      [{ type: 'say', id: 7, text: 'x' }, undefined],
      [{ type: 'say', id: '', text: 'x' }, ''],
      [{ type: 'say', id: 'x'.repeat(65), text: 'x' }, 'x'.repeat(65)],
      [{ type: 'history', before: 5, limit: 0 }, undefined],
      [{ type: 'history', before: 5, limit: 201 }, undefined],
      [{ type: 'history', before: -1, limit: 5 }, undefined],
      [{ type: 'history', before: 1.5, limit: 5 }, undefined],
    ];
    for (const [frame, ref] of cases) {
      client.send(frame);
      const error = await client.next('error');
      expect(error.code, JSON.stringify(frame)).toBe('bad_message');
      expect(error.ref).toBe(ref);
      expect(error.message.length).toBeLessThanOrEqual(200);
    }
    client.sendRaw(Buffer.from('{"type":"ping"}'), true);
    expect(await client.next('error')).toMatchObject({ code: 'bad_message' });
    client.say('x'.repeat(64), 'the longest id is fine');
    expect((await client.next('ack')).id).toBe('x'.repeat(64));
  });

  it('refuses text over maxTextLength code points or empty after trimming with too_long', async () => {
    const host = await testHost({ limits: { maxTextLength: 10 } });
    const { client } = await V1Client.join(host.port, 'alice');
    client.say('long', 'x'.repeat(11));
    expect(await client.next('error')).toMatchObject({ code: 'too_long', ref: 'long' });
    client.say('blank', ' \n\t ');
    expect(await client.next('error')).toMatchObject({ code: 'too_long', ref: 'blank' });
    client.say('astral', '𝄞'.repeat(10));
    expect(await client.next('ack')).toEqual({ type: 'ack', id: 'astral', seq: 1 });
    expect((await client.next('message')).text).toBe('𝄞'.repeat(10));
  });

  it('accepts 4000 characters by default and refuses 4001', async () => {
    const host = await testHost();
    const { client } = await V1Client.join(host.port, 'alice');
    client.say('max', 'é'.repeat(4000));
    expect((await client.next('ack')).seq).toBe(1);
    client.say('over', 'é'.repeat(4001));
    expect(await client.next('error')).toMatchObject({ code: 'too_long', ref: 'over' });
  });

  it('limits a burst with rate_limited, stores none of the refused, and never limits a retry', async () => {
    const host = await testHost({ limits: { rateBurst: 3, ratePerSecond: 0.5 } });
    const { client } = await V1Client.join(host.port, 'alice');
    const { client: observer } = await V1Client.join(host.port, 'bob');
    for (let index = 1; index <= 5; index++) client.say(`r${index}`, `burst ${index}`);
    expect(await client.next('error')).toMatchObject({ code: 'rate_limited', ref: 'r4' });
    expect(await client.next('error')).toMatchObject({ code: 'rate_limited', ref: 'r5' });
    const acks = [await client.next('ack'), await client.next('ack'), await client.next('ack')];
    expect(acks.map((ack) => [ack.id, ack.seq])).toEqual([
      ['r1', 1],
      ['r2', 2],
      ['r3', 3],
    ]);
    // A retry of a stored id still gets its ack while the bucket is empty.
    client.say('r2', 'burst 2');
    expect(await client.next('ack')).toEqual({ type: 'ack', id: 'r2', seq: 2 });
    await observer.next('message', undefined, (message) => message.seq === 3);
    expect(observer.received('message').map((message) => message.id)).toEqual(['r1', 'r2', 'r3']);
  });

  it('refills the bucket over time', async () => {
    const host = await testHost({ limits: { rateBurst: 1, ratePerSecond: 20 } });
    const { client } = await V1Client.join(host.port, 'alice');
    client.say('a', 'one');
    client.say('b', 'two');
    expect(await client.next('error')).toMatchObject({ code: 'rate_limited', ref: 'b' });
    // 20 per second: a token is back within 50 ms. Keep retrying until one is accepted.
    const accepted = client.next('ack', 2000, (ack) => ack.id === 'b');
    const ticker = setInterval(() => client.say('b', 'two'), 20);
    try {
      expect(await accepted).toEqual({ type: 'ack', id: 'b', seq: 2 });
    } finally {
      clearInterval(ticker);
    }
  });
});

describe('typing, history and ping', () => {
  it('relays typing to the others as { type, peer }, not to the typist', async () => {
    const host = await testHost();
    const { client: alice, welcome } = await V1Client.join(host.port, 'alice');
    const { client: bob } = await V1Client.join(host.port, 'bob');
    alice.send({ type: 'typing' });
    expect(await bob.next('typing')).toEqual({ type: 'typing', peer: welcome.self });
    alice.send({ type: 'ping' });
    await alice.next('pong');
    expect(alice.received('typing')).toEqual([]);
  });

  it('relays at most one typing notice per second per peer', async () => {
    const host = await testHost();
    const { client: alice } = await V1Client.join(host.port, 'alice');
    const { client: bob } = await V1Client.join(host.port, 'bob');
    for (let index = 0; index < 20; index++) alice.send({ type: 'typing' });
    await bob.next('typing');
    const firstAt = Date.now();
    // Keep typing; the next relay may only come a second after the first.
    const second = bob.next('typing', 3000);
    const ticker = setInterval(() => alice.send({ type: 'typing' }), 50);
    try {
      await second;
    } finally {
      clearInterval(ticker);
    }
    expect(Date.now() - firstAt).toBeGreaterThanOrEqual(900);
  });

  it('pages history: the newest `limit` before a seq, oldest first, with `more`', async () => {
    const host = await testHost();
    const { client } = await V1Client.join(host.port, 'alice');
    for (let index = 1; index <= 10; index++) client.say(`h${index}`, `text ${index}`);
    await client.next('ack', undefined, (ack) => ack.id === 'h10');
    client.send({ type: 'history', before: 11, limit: 3 });
    const page = await client.next('history');
    expect(page.messages.map((message) => message.seq)).toEqual([8, 9, 10]);
    expect(page.more).toBe(true);
    client.send({ type: 'history', before: 3, limit: 5 });
    expect(await client.next('history')).toMatchObject({ more: false });
    client.send({ type: 'history', before: 1_000_000, limit: 200 });
    const all = await client.next('history');
    expect(all.messages.map((message) => message.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(all.more).toBe(false);
    client.send({ type: 'history', before: 0, limit: 5 });
    expect(await client.next('history')).toEqual({ type: 'history', messages: [], more: false });
  });

  it('answers ping with pong', async () => {
    const host = await testHost();
    const { client } = await V1Client.join(host.port, 'alice');
    client.send({ type: 'ping' });
    expect(await client.next('pong')).toEqual({ type: 'pong' });
  });
});
