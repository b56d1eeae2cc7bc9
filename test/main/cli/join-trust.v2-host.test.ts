/**
 * How `parley join` trusts a host, in-process against real TLS hosts on 127.0.0.1: first use,
 * remembered rooms, a changed identity (exit 6) and `parley forget`, invites and --fingerprint
 * pins, explicit cleartext, and reconnects that keep the pin. Most tests here join, so they need
 * the version 2 host (subprotocol parley.v2): until it is merged into this tree they fail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runForget } from '../../../main/cli/forget-command';
import { runJoin } from '../../../main/cli/join-command';
import { startHost } from '../../../main/host/server';
import { openSqliteStore } from '../../../main/host/store/sqlite-store';
import { ClientSession } from '../../../protocol/client/client-session';
import type { WebSocketConstructor } from '../../../protocol/client/client-types';
import { readableFingerprint } from '../../../protocol/client/fingerprint';
import { buildInvite } from '../../../protocol/client/invite';
import { until, withTimeout } from '../../support/wait';
import type { HostCertificate } from '../../../main/tls/certificate';
import { clientIo, hostIdentities, tempDir, tlsRoom } from './support/tls-room';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A piped `parley join` that sends `lines`; resolves with its exit code. */
function pipedJoin(io: Awaited<ReturnType<typeof clientIo>>['io'], args: string[], lines = '') {
  io.stdin.end(lines);
  return withTimeout(runJoin([...args, '--name', 'ann'], io), 15_000, 'parley join to finish');
}

/** The session's WebSocket constructor (the pinned one), noting every socket it opens. */
function counting(Base: WebSocketConstructor, attempts: string[]): WebSocketConstructor {
  return class extends Base {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      attempts.push(url);
    }
  };
}

/** Counts everyone who ever joined the host. */
function joins(host: { on(event: 'joined', listener: () => void): unknown }) {
  let count = 0;
  host.on('joined', () => count++);
  return () => count;
}

describe('trust on first use', () => {
  it('shows the fingerprint of a new room, joins, remembers it, and is quiet the next time', async () => {
    const { host, address } = await tlsRoom(cleanups, { roomName: 'Lab' });
    const [identity] = await hostIdentities();
    const first = await clientIo();
    expect(await pipedJoin(first.io, [address], 'hello\n')).toBe(0);
    expect(first.io.errors()).toBe(
      [
        `Parley has not seen room "Lab" (${host.room.id}) before.`,
        `Its fingerprint is ${readableFingerprint(identity.fingerprint256).short}.`,
        "Compare it with the fingerprint on the host's screen before you join.",
        'Joining now; Parley remembers this fingerprint for the room.',
        '',
      ].join('\n'),
    );
    expect(await first.knownRooms.get(host.room.id)).toMatchObject({
      fingerprint256: identity.fingerprint256,
    });

    const again = await clientIo({ configHome: first.configHome });
    expect(await pipedJoin(again.io, [address], 'again\n')).toBe(0);
    expect(again.io.errors()).toBe('');
    expect(again.io.output()).toMatch(/ann: hello \(#\d+\)\n.*ann: again \(#\d+\)\n/s);
  });

  it('refuses a known room whose certificate changed, sending nothing, until it is forgotten', async () => {
    const { host, address } = await tlsRoom(cleanups, { roomName: 'Lab' });
    const [presented, known] = await hostIdentities();
    const joined = joins(host);
    const { io, knownRooms, configHome } = await clientIo();
    await knownRooms.remember(host.room.id, known.fingerprint256);

    expect(await pipedJoin(io, [address, '--password', 'secret'], 'hello\n')).toBe(6);
    expect(io.errors()).toBe(
      [
        `parley: WARNING: the identity of room "Lab" (${host.room.id}) has changed, so Parley did not connect.`,
        'Someone on this network may be intercepting the connection (a man-in-the-middle attack),',
        'or the host may have created a new certificate.',
        `Known fingerprint:     ${readableFingerprint(known.fingerprint256).short}`,
        `Presented fingerprint: ${readableFingerprint(presented.fingerprint256).short}`,
        'Ask the host to read out the fingerprint shown in their app. Only if it matches the',
        `presented one, run \`parley forget ${host.room.id}\` and join again.`,
        '',
      ].join('\n'),
    );
    expect(io.output()).toBe('');
    expect(joined()).toBe(0);

    const forget = await clientIo({ configHome });
    expect(await runForget([host.room.id], forget.io)).toBe(0);
    expect(forget.io.output()).toContain(`Forgot room ${host.room.id}`);
    const retry = await clientIo({ configHome });
    expect(await pipedJoin(retry.io, [address], 'hello\n')).toBe(0);
    expect(retry.io.errors()).toContain('Parley has not seen room "Lab"');
    expect(await knownRooms.get(host.room.id)).toMatchObject({
      fingerprint256: presented.fingerprint256,
    });
  });

  it('refuses a known address where another room answers with another certificate', async () => {
    // The same machine and port, restarted with a new data folder: new certificate, new room id.
    const [identityA, identityB] = await hostIdentities();
    const before = await tlsRoom(cleanups, { roomName: 'Lab' }, 0);
    const { io, knownRooms, configHome } = await clientIo();
    expect(await pipedJoin(io, [before.address], 'first visit\n')).toBe(0);
    await before.host.close();
    const after = await tlsRoom(cleanups, { roomName: 'Lab', port: before.host.port }, 1);
    expect(after.host.room.id).not.toBe(before.host.room.id);
    const joined = joins(after.host);

    const again = await clientIo({ configHome });
    expect(await pipedJoin(again.io, [after.address], 'hello\n')).toBe(6);
    expect(again.io.errors()).toBe(
      [
        `parley: WARNING: the identity of the room at ${after.address} has changed, so Parley did not connect.`,
        `It was room "Lab" (${before.host.room.id}); another certificate now answers there, as room "Lab" (${after.host.room.id}).`,
        'Someone on this network may be intercepting the connection (a man-in-the-middle attack),',
        'or the host may have created a new certificate.',
        `Known fingerprint:     ${readableFingerprint(identityA.fingerprint256).short}`,
        `Presented fingerprint: ${readableFingerprint(identityB.fingerprint256).short}`,
        'Ask the host to read out the fingerprint shown in their app. Only if it matches the',
        `presented one, run \`parley forget ${before.host.room.id}\` and join again.`,
        '',
      ].join('\n'),
    );
    expect(joined()).toBe(0);

    // The host's invite pins the new certificate: it joins, and the address now answers for it.
    const invite = buildInvite({
      host: '127.0.0.1',
      port: after.host.port,
      fingerprint: identityB.fingerprint256,
      roomId: after.host.room.id,
    });
    const invited = await clientIo({ configHome });
    expect(await pipedJoin(invited.io, [invite], 'invited\n')).toBe(0);
    const quiet = await clientIo({ configHome });
    expect(await pipedJoin(quiet.io, [after.address], 'quiet\n')).toBe(0);
    expect(quiet.io.errors()).toBe('');
    expect(await knownRooms.atAddress(after.address)).toMatchObject({ id: after.host.room.id });
  });

  it('lets the address go with `parley forget` of the room that answered there', async () => {
    const before = await tlsRoom(cleanups, { roomName: 'Lab' }, 0);
    const { io, configHome } = await clientIo();
    expect(await pipedJoin(io, [before.address], 'first visit\n')).toBe(0);
    await before.host.close();
    const after = await tlsRoom(cleanups, { port: before.host.port }, 1);

    const refused = await clientIo({ configHome });
    expect(await pipedJoin(refused.io, [after.address], 'hello\n')).toBe(6);
    const forget = await clientIo({ configHome });
    expect(await runForget([before.host.room.id], forget.io)).toBe(0);
    const retry = await clientIo({ configHome });
    expect(await pipedJoin(retry.io, [after.address], 'hello\n')).toBe(0);
    expect(retry.io.errors()).toContain(
      `Parley has not seen room "Parley" (${after.host.room.id})`,
    );
  });

  it('remembers the fingerprint once TLS is verified, even when the password is wrong', async () => {
    const { host, address } = await tlsRoom(cleanups, { password: 'sesame' });
    const { io, knownRooms, configHome } = await clientIo();
    expect(await pipedJoin(io, [address, '--password', 'wrong'], 'x\n')).toBe(3);
    expect(io.errors()).toContain('Parley remembers this fingerprint for the room.');
    expect(io.errors()).toContain('parley: Wrong password for this room.');
    expect(await knownRooms.get(host.room.id)).toBeDefined();

    const again = await clientIo({ configHome });
    expect(await pipedJoin(again.io, [address, '--password', 'sesame'], 'in\n')).toBe(0);
    expect(again.io.errors()).toBe('');
  });

  it('says that a room needs a password when none was given', async () => {
    const { address } = await tlsRoom(cleanups, { password: 'sesame' });
    const { io } = await clientIo();
    expect(await pipedJoin(io, [address], 'x\n')).toBe(3);
    expect(io.errors()).toMatch(
      /\nparley: This room needs a password: join again with --password PW \(or set PARLEY_PASSWORD\)\.\n$/,
    );
  });

  it('forgets a room it never knew without complaint, and refuses a bad room id', async () => {
    const { io } = await clientIo();
    expect(await runForget(['r_unknown'], io)).toBe(0);
    expect(io.output()).toBe('Parley did not know room r_unknown: nothing to forget.\n');
    const bad = await clientIo();
    expect(await runForget([], bad.io)).toBe(2);
    expect(bad.io.errors()).toMatch(/^parley: forget takes one room id/);
  });
});

describe('pinned fingerprints', () => {
  it('joins with an invite without asking, and remembers its fingerprint', async () => {
    const { host } = await tlsRoom(cleanups);
    const [identity] = await hostIdentities();
    const invite = buildInvite({
      host: '127.0.0.1',
      port: host.port,
      fingerprint: identity.fingerprint256,
      roomId: host.room.id,
    });
    const { io, knownRooms } = await clientIo();
    expect(await pipedJoin(io, [invite], 'via invite\n')).toBe(0);
    expect(io.errors()).toBe('');
    expect(await knownRooms.get(host.room.id)).toMatchObject({
      fingerprint256: identity.fingerprint256,
    });
  });

  it('refuses a host whose certificate is not the invite’s or --fingerprint’s, with exit 6', async () => {
    const { host, address } = await tlsRoom(cleanups);
    const [, other] = await hostIdentities();
    const joined = joins(host);
    const invite = buildInvite({
      host: '127.0.0.1',
      port: host.port,
      fingerprint: other.fingerprint256,
    });
    for (const args of [
      [invite],
      [address, '--fingerprint', readableFingerprint(other.fingerprint256).full],
    ]) {
      const { io } = await clientIo();
      expect(await pipedJoin(io, [...args, '--password', 'secret'], 'x\n'), args[0]).toBe(6);
      expect(io.errors()).toMatch(
        /^parley: The host presented certificate .*Nothing was sent to it\./,
      );
    }
    expect(joined()).toBe(0);
  });

  it('pins --fingerprint in any spelling the host shows', async () => {
    const { address } = await tlsRoom(cleanups);
    const [identity] = await hostIdentities();
    const bare = identity.fingerprint256.replaceAll(':', '').toLowerCase();
    const { io } = await clientIo();
    expect(await pipedJoin(io, [address, '--fingerprint', bare], 'pinned\n')).toBe(0);
    expect(io.errors()).toBe('');
  });

  it('pins the short form the host shows, and refuses a short form of another certificate', async () => {
    const { address } = await tlsRoom(cleanups);
    const [identity, other] = await hostIdentities();
    const { io } = await clientIo();
    const short = readableFingerprint(identity.fingerprint256).short;
    expect(short).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
    expect(await pipedJoin(io, [address, '--fingerprint', short], 'short\n')).toBe(0);
    expect(io.errors()).toBe('');

    const wrong = await clientIo();
    const otherShort = readableFingerprint(other.fingerprint256).short;
    expect(await pipedJoin(wrong.io, [address, '--fingerprint', otherShort], 'x\n')).toBe(6);
    expect(wrong.io.errors()).toContain(`not the expected ${otherShort}.`);
  });

  it('refuses --fingerprint that is not one, or with ws://, as a usage error', async () => {
    const { address } = await tlsRoom(cleanups);
    const [identity] = await hostIdentities();
    const halfShort = readableFingerprint(identity.fingerprint256).short.slice(0, 19);
    for (const args of [
      [address, '--fingerprint', 'AB:CD'],
      [address, '--fingerprint', halfShort],
      [`ws://${address}`, '--fingerprint', 'a'.repeat(64)],
    ]) {
      const { io } = await clientIo();
      expect(await pipedJoin(io, args), args.join(' ')).toBe(2);
    }
  });
});

describe('cleartext and hosts without TLS', () => {
  it('uses cleartext only for an explicit ws:// address, and remembers nothing', async () => {
    const { host } = await tlsRoom(cleanups);
    const { io, knownRooms } = await clientIo();
    expect(await pipedJoin(io, [`ws://127.0.0.1:${host.port}`], 'plain\n')).toBe(0);
    expect(io.errors()).toBe('');
    expect(await knownRooms.get(host.room.id)).toBeUndefined();
  });

  it('sends a password over ws:// to this machine only', async () => {
    const { host } = await tlsRoom(cleanups, { password: 'sesame' });
    const local = await clientIo();
    const url = `ws://127.0.0.1:${host.port}`;
    expect(await pipedJoin(local.io, [url, '--password', 'sesame'], 'local\n')).toBe(0);

    // Refused before anything is sent: `.invalid` names no machine at all.
    const remote = await clientIo();
    const elsewhere = ['ws://parley-test.invalid:7420', '--password', 'sesame'];
    expect(await pipedJoin(remote.io, elsewhere, 'x\n')).toBe(2);
    expect(remote.io.errors()).toBe(
      'parley: a password is never sent unencrypted to another machine: join with wss://parley-test.invalid:7420/ws (or leave out ws://)\n',
    );
  });

  it('says how to connect to a host that does not speak TLS, with exit 5', async () => {
    const host = await startHost({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => host.close());
    const { io } = await clientIo();
    expect(await pipedJoin(io, [`127.0.0.1:${host.port}`], 'x\n')).toBe(5);
    expect(io.errors()).toMatch(/does not speak TLS/);
    expect(io.errors()).toContain(`join with ws://127.0.0.1:${host.port}/ws`);
  });
});

describe('reconnects', () => {
  /** A host on `port` (0: a free one) with the history in `dataDir` and certificate `identity`. */
  async function durableHost(dataDir: string, port: number, identity: HostCertificate) {
    const host = await startHost({
      host: '127.0.0.1',
      port,
      store: await openSqliteStore(dataDir, 'Durable'),
      tls: { cert: identity.cert, key: identity.key },
    });
    cleanups.push(() => host.close());
    return host;
  }

  /** A piped join as `writer` whose sockets are counted; it has sent `before` when this returns. */
  async function writerThrough(host: { port: number }) {
    const { io } = await clientIo();
    const attempts: string[] = [];
    const done = runJoin(
      [`127.0.0.1:${host.port}`, '--name', 'writer'],
      io,
      (options) =>
        new ClientSession({
          ...options,
          WebSocket: counting(options.WebSocket, attempts),
          backoff: { initialMs: 50, maxMs: 100 },
        }),
    );
    cleanups.push(async () => {
      io.requestStop();
      await done;
    });
    io.stdin.write('before\n');
    await io.waitForOutput(/writer: before/);
    return { io, attempts, done };
  }

  it('keep the pin: the same certificate back gets everything', async () => {
    const [identityA] = await hostIdentities();
    const dataDir = await tempDir();
    const first = await durableHost(dataDir, 0, identityA);
    const { io, done } = await writerThrough(first);
    await first.close();
    await io.waitForOutput(/reconnecting/);

    const back = await durableHost(dataDir, first.port, identityA);
    io.stdin.end('after\n');
    expect(await withTimeout(done, 10_000, 'the join to finish')).toBe(0);
    await until(() => back.peers().length === 0, 5000, 'the writer to leave');
    expect(io.output()).toMatch(
      /writer: before \(#\d+\)\n[^]*reconnected[^]*writer: after \(#\d+\)\n/,
    );
  });

  it('stop at a host back with another certificate: nothing sent, the warning, exit 6', async () => {
    const [identityA, identityB] = await hostIdentities();
    const dataDir = await tempDir();
    const first = await durableHost(dataDir, 0, identityA);
    const roomId = first.room.id;
    const { io, attempts, done } = await writerThrough(first);
    await first.close();
    await io.waitForOutput(/reconnecting/);
    io.stdin.write('while away\n');

    const impostor = await durableHost(dataDir, first.port, identityB);
    const impostorJoins = joins(impostor);
    const seen = attempts.length;
    expect(await withTimeout(done, 10_000, 'the join to give up')).toBe(6);
    expect(attempts.length).toBeGreaterThan(seen);
    expect(impostorJoins()).toBe(0);
    expect(io.errors()).toContain(
      [
        `parley: WARNING: the identity of room "Durable" (${roomId}) has changed, so Parley did not connect.`,
        'Someone on this network may be intercepting the connection (a man-in-the-middle attack),',
        'or the host may have created a new certificate.',
        `Known fingerprint:     ${readableFingerprint(identityA.fingerprint256).short}`,
        `Presented fingerprint: ${readableFingerprint(identityB.fingerprint256).short}`,
        'Ask the host to read out the fingerprint shown in their app. Only if it matches the',
        `presented one, run \`parley forget ${roomId}\` and join again.`,
        '',
      ].join('\n'),
    );
    expect(impostor.peers()).toEqual([]);
  });
});
