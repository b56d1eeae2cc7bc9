/**
 * `parley join` run in-process against a scripted host over ws:// (test/protocol/client/support):
 * the identity it sends, the conversations at the prompt (/channels, /open, /join, /leave, /msg),
 * how lines of other conversations print, and piped lines to --conv or --to. Against real hosts
 * (TLS, reconnects, refusals): join-command.v2-host.test.ts; trust: join-trust.v2-host.test.ts.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runJoin } from '../../../main/cli/join-command';
import { identityForRoom, secretBytes } from '../../../protocol/client/identity-key';
import { directConversationId } from '../../../protocol/wire/identity';
import {
  ALICE,
  BOB,
  SCRIPTED_ROOM,
  catchup,
  conversation,
  conversationFrame,
  message,
  startScriptedHost,
  text,
  welcome,
  type ScriptedConnection,
  type ScriptedHost,
} from '../../protocol/client/support/scripted-host';
import { withTimeout } from '../../support/wait';
import { clientIo } from './support/tls-room';
import type { MemoryIo } from './support/memory-io';

let host: ScriptedHost;
const cleanups: (() => Promise<unknown>)[] = [];
beforeEach(async () => {
  host = await startScriptedHost();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await host.close();
});

const DIRECT = directConversationId(ALICE.id, BOB.id);
const CREW = conversation('c_crew', { name: 'crew', lastSeq: 2, readSeq: 0 });
const NEWS = conversation('c_news', { name: 'news', member: false, lastSeq: 7 });
const ROOM = {
  peers: [ALICE, BOB],
  peerCount: 2,
  conversations: [conversation('general', { lastSeq: 1 }), CREW, NEWS],
};

/** Runs `parley join` (as alice) against the scripted host until its welcome and catchups. */
async function joinAs(
  options: { tty?: boolean; args?: string[]; configHome?: string; welcomeFields?: object } = {},
) {
  const { io, configHome } = await clientIo({
    tty: options.tty ?? true,
    ...(options.configHome !== undefined && { configHome: options.configHome }),
  });
  const done = runJoin([host.url, '--name', 'alice', ...(options.args ?? [])], io);
  cleanups.push(async () => {
    io.requestStop();
    await done;
  });
  const connection = await host.nextConnection();
  const hello = await connection.next('hello');
  connection.send(welcome({ ...ROOM, ...options.welcomeFields }));
  connection.send(catchup('general', [text(1, 'welcome to general')]));
  connection.send(
    catchup('c_crew', [
      text(1, 'crew one', { conv: 'c_crew' }),
      text(2, 'hey @alice', { conv: 'c_crew' }),
    ]),
  );
  return { io, done, connection, hello, configHome };
}

/** Types a line at the prompt. */
const type = (io: MemoryIo, line: string) => io.stdin.write(`${line}\n`);

/** The next read marker the client sets for `conv`. */
async function nextRead(connection: ScriptedConnection, conv: string) {
  for (;;) {
    const read = await connection.next('read');
    if (read.conv === conv) return read;
  }
}

/** Answers the history request /open makes with `entries`. */
async function answerHistory(connection: ScriptedConnection, entries: unknown[]) {
  const asked = await connection.next('history');
  connection.send({ type: 'history', conv: asked.conv, messages: entries, more: false });
  return asked;
}

describe('parley join: its identity', () => {
  it('makes an identity file once (private) and sends the key for the room it joins', async () => {
    const { hello, io, configHome } = await joinAs();
    await io.waitForOutput(/joined "Test room" as alice/);
    const file = join(configHome, 'parley', 'identity');
    expect((await stat(file)).mode & 0o077).toBe(0);
    const secret = secretBytes((await readFile(file, 'utf8')).trim())!;
    // A room without TLS: the certificate part of the key is empty.
    expect(hello.identity).toBe(identityForRoom(secret, SCRIPTED_ROOM.id, undefined));

    const again = await joinAs({ configHome });
    expect(again.hello.identity).toBe(hello.identity);
  });

  it('replaces the identity on --new-identity and says so; alone it does only that', async () => {
    const { io, configHome } = await clientIo();
    io.stdin.end();
    expect(await runJoin(['--new-identity'], io)).toBe(0);
    const file = join(configHome, 'parley', 'identity');
    const first = await readFile(file, 'utf8');
    expect(io.errors()).toBe(
      `Made a new identity (${file}): you are a new person in every room now.\n`,
    );
    expect(host.connectionCount()).toBe(0);

    const { hello } = await joinAs({ configHome, args: ['--new-identity'] });
    const second = await readFile(file, 'utf8');
    expect(second).not.toBe(first);
    expect(hello.identity).toBe(
      identityForRoom(secretBytes(second.trim())!, SCRIPTED_ROOM.id, undefined),
    );
  });
});

describe('parley join at a terminal: conversations', () => {
  it('starts in general, prints its catchup, says what is unread elsewhere and marks what it shows read', async () => {
    const { io, connection } = await joinAs();
    await io.waitForOutput(/\[\d\d:\d\d\] bob: welcome to general/);
    await io.waitForOutput(/\* unread: #crew \(2 unread, mentions you\)/);
    // Another conversation's catchup is counted, not printed.
    expect(io.output()).not.toContain('crew one');
    expect(await connection.next('read')).toEqual({ type: 'read', conv: 'general', seq: 1 });
    connection.send(message(text(2, 'live in general')));
    connection.send(message(text(3, 'live in crew', { conv: 'c_crew' })));
    await io.waitForOutput(/\[\d\d:\d\d\] bob: live in general/);
    await io.waitForOutput(/\[\d\d:\d\d\] #crew bob: live in crew/);
  });

  it('lists conversations on /channels and switches with /open, showing the latest lines', async () => {
    const { io, connection } = await joinAs();
    await io.waitForOutput(/unread: #crew/);
    type(io, '/channels');
    await io.waitForOutput(/\* conversations:/);
    await io.waitForOutput(/ {2}> #general\n/);
    await io.waitForOutput(/ {4}#crew \(2 unread, mentions you\)\n/);
    await io.waitForOutput(/ {4}#news \(not joined\)\n/);

    type(io, '/open #CREW');
    const asked = await answerHistory(connection, [
      text(1, 'crew one', { conv: 'c_crew' }),
      text(2, 'hey @alice', { conv: 'c_crew' }),
    ]);
    expect(asked).toEqual({ type: 'history', conv: 'c_crew', before: 3, limit: 10 });
    await io.waitForOutput(/\* now in #crew\n.*bob: crew one \(#1\)\n.*bob: hey @alice \(#2\)\n/s);
    await io.waitForOutput(/#crew> /);
    expect(await nextRead(connection, 'c_crew')).toEqual({ type: 'read', conv: 'c_crew', seq: 2 });

    type(io, 'to the crew');
    expect(await connection.next('say')).toMatchObject({ conv: 'c_crew', text: 'to the crew' });
    connection.send(message(text(2, 'now in general', { conv: 'general' })));
    await io.waitForOutput(/\[\d\d:\d\d\] #general bob: now in general/);
  });

  it('joins a channel with /join (or makes it), and leaves it with /leave', async () => {
    const { io, connection } = await joinAs();
    await io.waitForOutput(/unread: #crew/);
    type(io, '/join #news');
    expect(await connection.next('join')).toEqual({ type: 'join', conv: 'c_news' });
    connection.send(conversationFrame('c_news', { name: 'news', member: true, lastSeq: 7 }));
    connection.send(catchup('c_news', [text(7, 'old news', { conv: 'c_news' })]));
    await answerHistory(connection, [text(7, 'old news', { conv: 'c_news' })]);
    await io.waitForOutput(/now in #news\n.*bob: old news/s);

    type(io, '/leave');
    expect(await connection.next('leave')).toEqual({ type: 'leave', conv: 'c_news' });
    connection.send(conversationFrame('c_news', { name: 'news', member: false, lastSeq: 7 }));
    await io.waitForOutput(/\* left #news/);
    await answerHistory(connection, [text(1, 'welcome to general')]);
    await io.waitForOutput(/now in #general/);

    type(io, '/leave');
    await io.waitForOutput(/Everyone stays in general/);

    type(io, '/join #brand-new');
    expect(await connection.next('create_channel')).toMatchObject({ name: 'brand-new' });
  });

  it('sends a direct message with /msg, opening the conversation with that person', async () => {
    const { io, connection } = await joinAs();
    await io.waitForOutput(/unread: #crew/);
    type(io, '/msg Bob are you there?');
    expect(await connection.next('open_direct')).toEqual({ type: 'open_direct', peer: BOB.id });
    connection.send(
      conversationFrame(DIRECT, { kind: 'direct', name: undefined, members: [ALICE, BOB] }),
    );
    connection.send(catchup(DIRECT, []));
    expect(await connection.next('say')).toMatchObject({ conv: DIRECT, text: 'are you there?' });
    connection.send(message(text(1, 'yes!', { conv: DIRECT })));
    await io.waitForOutput(/\[\d\d:\d\d\] @bob bob: yes!/);

    type(io, '/msg nobody hello');
    await io.waitForOutput(/\* nobody called nobody is in the room/);
  });

  it('says what a refused request means, and keeps going', async () => {
    const { io, connection } = await joinAs();
    await io.waitForOutput(/unread: #crew/);
    type(io, '/msg bob hi');
    await connection.next('open_direct');
    connection.send({ type: 'error', code: 'no_identity', message: 'ephemeral' });
    await io.waitForOutput(/\* Direct messages need a lasting identity on both sides\./);
    type(io, '/bogus');
    await io.waitForOutput(/\* commands: \/channels/);
    type(io, '/quit');
  });
});

describe('parley join from a pipe: where the lines go', () => {
  it('sends piped lines to --conv #channel, joining it first', async () => {
    const { io, done, connection } = await joinAs({ tty: false, args: ['--conv', '#news'] });
    expect(await connection.next('join')).toEqual({ type: 'join', conv: 'c_news' });
    connection.send(conversationFrame('c_news', { name: 'news', member: true, lastSeq: 7 }));
    connection.send(catchup('c_news', [text(7, 'old news', { conv: 'c_news' })]));
    io.stdin.end('breaking\n');
    const say = await connection.next('say');
    expect(say).toMatchObject({ conv: 'c_news', text: 'breaking' });
    connection.send(
      message(text(8, 'breaking', { conv: 'c_news', from: ALICE, id: String(say.id) })),
    );
    connection.send({ type: 'ack', id: say.id, conv: 'c_news', seq: 8 });
    expect(await withTimeout(done, 5000, 'the piped join')).toBe(0);
    expect(io.output()).toMatch(/\[\d\d:\d\d\] alice: breaking \(#\d+\)\n/);
    // Nobody read along: nothing is marked read.
    expect(connection.received.filter((frame) => frame.type === 'read')).toEqual([]);
  });

  it('sends piped lines to --to NAME directly', async () => {
    const { io, done, connection } = await joinAs({ tty: false, args: ['--to', 'bob'] });
    await connection.next('open_direct');
    connection.send(
      conversationFrame(DIRECT, { kind: 'direct', name: undefined, members: [ALICE, BOB] }),
    );
    io.stdin.end('just for you\n');
    const say = await connection.next('say');
    expect(say).toMatchObject({ conv: DIRECT, text: 'just for you' });
    connection.send({ type: 'ack', id: say.id, conv: DIRECT, seq: 1 });
    expect(await withTimeout(done, 5000, 'the piped join')).toBe(0);
  });

  it('refuses a channel or person that is not there with exit code 2', async () => {
    const { io, done } = await joinAs({ tty: false, args: ['--conv', 'nowhere'] });
    io.stdin.end('lost\n');
    expect(await withTimeout(done, 5000, 'the refused join')).toBe(2);
    expect(io.errors()).toMatch(/parley: there is no channel #nowhere in this room\n$/);

    const person = await joinAs({ tty: false, args: ['--to', 'ghost'] });
    person.io.stdin.end('boo\n');
    expect(await withTimeout(person.done, 5000, 'the refused join')).toBe(2);
    expect(person.io.errors()).toMatch(/parley: nobody called ghost is in the room\n$/);
  });

  it('refuses --conv together with --to, and empty ones, as usage errors', async () => {
    for (const args of [
      ['--conv', '#a', '--to', 'b'],
      ['--conv', '#'],
      ['--to', '@'],
    ]) {
      const { io } = await clientIo();
      io.stdin.end();
      expect(await runJoin([host.url, '--name', 'alice', ...args], io)).toBe(2);
      expect(io.errors()).toMatch(/^parley: (use --conv|--conv needs|--to needs)/);
    }
    expect(host.connectionCount()).toBe(0);
  });
});
