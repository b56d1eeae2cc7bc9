/**
 * `parley join` run in-process against a real TLS host: the interactive prompt and the piped mode.
 * Needs the version 2 host (subprotocol parley.v2): until that host is merged into this tree,
 * every join here fails. How it trusts the host (pins, first use, changed identity) is in
 * join-trust.v2-host.test.ts; conversations against a scripted host in join-command.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runJoin } from '../../../main/cli/join-command';
import { ClientSession } from '../../../protocol/client/client-session';
import { collectEntries } from '../../support/session-events';
import { until, withTimeout } from '../../support/wait';
import { clientIo, tlsRoom } from './support/tls-room';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const room = (limits = {}) => tlsRoom(cleanups, { limits });

/** A terminal (or pipe) whose known rooms start empty. */
async function terminal(tty = false) {
  return (await clientIo({ tty })).io;
}

async function other(url: string, name: string, identity?: string) {
  const session = new ClientSession({
    url,
    name,
    WebSocket: WebSocket,
    reconnect: false,
    ...(identity !== undefined && { identity }),
  });
  cleanups.push(() => session.close());
  await session.connect();
  return session;
}

describe('parley join at a terminal', () => {
  it('sends typed lines to general, shows the room, and answers /who and /quit', async () => {
    const { address, url } = await room();
    const bob = await other(url, 'bob');
    const seenByBob = collectEntries(bob);
    bob.send({ conv: 'general', text: 'earlier message' });
    await withTimeout(bob.whenSettled(), 2000, 'history to exist');

    const io = await terminal(true);
    const done = runJoin([address, '--name', 'ann'], io);
    cleanups.push(async () => {
      io.requestStop();
      await done;
    });
    await io.waitForOutput(/bob: earlier message/);
    await io.waitForOutput(/joined "Parley" as ann/);

    io.stdin.write('hello bob\n');
    await until(() => seenByBob.texts().includes('hello bob'), 2000, 'bob to get the line');
    await io.waitForOutput(/\[\d\d:\d\d\] ann: hello bob/);

    bob.send({ conv: 'general', text: 'hi ann' });
    await io.waitForOutput(/\[\d\d:\d\d\] bob: hi ann/);
    io.stdin.write('/who\n');
    await io.waitForOutput(/here: bob, ann|here: ann, bob/);
    io.stdin.write('//slash at the start\n');
    await until(() => seenByBob.texts().includes('/slash at the start'), 2000, 'the escaped slash');

    io.stdin.write('/quit\n');
    expect(await withTimeout(done, 5000, 'join to finish')).toBe(0);
    // Only the first-use notice about the host's fingerprint.
    expect(io.errors()).toMatch(/^Parley has not seen room "Parley"/);
    expect(io.errors()).not.toMatch(/parley:/);
  });

  it('reports a refused message and sends it again on /retry', async () => {
    const { address, url } = await room({ maxTextLength: 5 });
    const bob = await other(url, 'bob');
    const seenByBob = collectEntries(bob);
    const io = await terminal(true);
    const done = runJoin([address, '--name', 'ann'], io);
    cleanups.push(async () => {
      io.requestStop();
      await done;
    });
    await io.waitForOutput(/joined "Parley" as ann/);
    io.stdin.write('far too long\n');
    await io.waitForOutput(/not sent: "far too long" \(That message is too long \(or empty\)\.\)/);
    io.stdin.write('/retry\n');
    await io.waitForOutput(/sending 1 message\(s\) again/);
    await io.waitForOutput(/not sent: "far too long"[^]*not sent: "far too long"/);
    io.stdin.write('short\n');
    await until(() => seenByBob.texts().includes('short'), 2000, 'the short one');
    io.stdin.end();
    expect(await withTimeout(done, 5000, 'join to finish on end of input')).toBe(0);
  });

  it('leaves with the sentence and a non-zero code when the session is taken over', async () => {
    const { address, url } = await room();
    const io = await terminal(true);
    let session: ClientSession | undefined;
    let identity: string | undefined;
    const done = runJoin([address, '--name', 'ann'], io, (options) => {
      identity = options.identity;
      session = new ClientSession(options);
      return session;
    });
    cleanups.push(async () => {
      io.requestStop();
      await done;
    });
    await io.waitForOutput(/joined "Parley" as ann/);
    // The same person elsewhere: an identity's token is honoured only with that identity.
    expect(identity).toBeDefined();
    const takeover = new ClientSession({
      url,
      name: 'ann',
      WebSocket: WebSocket,
      ...(identity !== undefined && { identity }),
      resume: session!.snapshot()!,
    });
    cleanups.push(() => takeover.close());
    await takeover.connect();
    expect(await withTimeout(done, 5000, 'join to end')).toBe(1);
    expect(io.errors()).toMatch(/\nparley: This session was opened somewhere else\.\n$/);
  });
});

describe('parley join from a pipe', () => {
  it('sends each non-empty line, prints the room, and exits 0 once all are confirmed', async () => {
    const { address, url } = await room();
    const bob = await other(url, 'bob');
    const seenByBob = collectEntries(bob);
    const io = await terminal();
    io.stdin.end('one\n\n   \ntwo\nthree\n');
    expect(await withTimeout(runJoin([address, '--name', 'pipe'], io), 5000, 'piped join')).toBe(0);
    expect(seenByBob.texts()).toEqual(['one', 'two', 'three']);
    expect(io.output().match(/pipe: \w+/g)).toEqual(['pipe: one', 'pipe: two', 'pipe: three']);
  });

  it('exits 1 and says so when lines could not be confirmed before being stopped', async () => {
    const { address, host } = await room();
    const io = await terminal();
    const done = runJoin([address, '--name', 'pipe'], io);
    io.stdin.write('first\n');
    await io.waitForOutput(/pipe: first/);
    await host.close();
    await io.waitForOutput(/reconnecting/);
    io.stdin.end('never confirmed\n');
    io.requestStop();
    expect(await withTimeout(done, 5000, 'the stopped join')).toBe(1);
    expect(io.errors()).toMatch(
      /\nparley: stopped with 1 message\(s\) not confirmed by the host\n$/,
    );
  });

  it('maps refusals to exit codes: 2 for a bad name, 5 for no host', async () => {
    const { address } = await room();
    const badName = await terminal();
    badName.stdin.end();
    expect(await runJoin([address, '--name', ' '], badName)).toBe(2);
    expect(badName.errors()).toMatch(/\nparley: That name is not allowed/);

    const { host, address: gone } = await room();
    await host.close();
    const nobody = await terminal();
    nobody.stdin.end();
    expect(await runJoin([gone, '--name', 'x'], nobody)).toBe(5);
    expect(nobody.errors()).toBe(`parley: Could not reach a Parley host at wss://${gone}/ws.\n`);
  });
});

describe('parley join in conversations', () => {
  it('is the same person on every join from the same account, whatever the name', async () => {
    const { address, url } = await room();
    const watcher = await other(url, 'watcher');
    const { io: first, configHome } = await clientIo();
    first.stdin.end('first visit\n');
    expect(await runJoin([address, '--name', 'ann'], first)).toBe(0);
    const { io: second } = await clientIo({ configHome });
    second.stdin.end('second visit\n');
    expect(await runJoin([address, '--name', 'annie'], second)).toBe(0);
    const page = await watcher.loadOlder('general', 100);
    const authors = page.entries.flatMap((entry) => (entry.kind === 'text' ? [entry.from.id] : []));
    expect(authors).toHaveLength(2);
    expect(authors[0]).toBe(authors[1]);
  });

  it('talks in a channel with --conv and directly with --to, between two terminals', async () => {
    const { address, url } = await room();
    const bob = await other(url, 'bob', 'b'.repeat(43));
    const crew = await bob.createChannel('crew');
    const seenByBob = collectEntries(bob);

    const toCrew = await terminal();
    toCrew.stdin.end('for the crew\n');
    expect(await runJoin([address, '--name', 'ann', '--conv', '#crew'], toCrew)).toBe(0);
    await until(() => seenByBob.texts(crew.id).includes('for the crew'), 2000, 'the crew line');

    const direct = await terminal();
    direct.stdin.end('just you\n');
    expect(await runJoin([address, '--name', 'ann', '--to', 'bob'], direct)).toBe(0);
    await until(() => seenByBob.texts().includes('just you'), 2000, 'the direct line');
    const line = seenByBob.entries.find(
      (entry) => entry.kind === 'text' && entry.text === 'just you',
    );
    expect(bob.conversation(line!.conv)).toMatchObject({ kind: 'direct', peer: { name: 'ann' } });
  });
});
