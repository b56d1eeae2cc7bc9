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
        'Joining now; Parley will remember this fingerprint for the room.',
        '',
      ].join('\n'),
    );
    expect(await first.knownRooms.get(host.room.id)).toMatchObject({
      fingerprint256: identity.fingerprint256,
    });

    const again = await clientIo({ configHome: first.configHome });
    expect(await pipedJoin(again.io, [address], 'again\n')).toBe(0);
    expect(again.io.errors()).toBe('');
    expect(again.io.output()).toMatch(/ann: hello\n.*ann: again\n/s);
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

  it('refuses --fingerprint that is not one, or with ws://, as a usage error', async () => {
    const { address } = await tlsRoom(cleanups);
    for (const args of [
      [address, '--fingerprint', 'AB:CD'],
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
  it('keep the pin: a host back with another certificate gets nothing, the same one gets it all', async () => {
    const [identityA, identityB] = await hostIdentities();
    const dataDir = await tempDir();
    const hostOn = async (port: number, identity: typeof identityA) => {
      const host = await startHost({
        host: '127.0.0.1',
        port,
        store: await openSqliteStore(dataDir, 'Durable'),
        tls: { cert: identity.cert, key: identity.key },
      });
      cleanups.push(() => host.close());
      return host;
    };
    const first = await hostOn(0, identityA);
    const { port } = first;
    const { io } = await clientIo();
    const attempts: string[] = [];
    const done = runJoin(
      [`127.0.0.1:${port}`, '--name', 'writer'],
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
    await first.close();
    await io.waitForOutput(/reconnecting/);

    const impostor = await hostOn(port, identityB);
    const impostorJoins = joins(impostor);
    const seen = attempts.length;
    await until(() => attempts.length >= seen + 3, 5000, 'reconnect attempts to the impostor');
    expect(impostorJoins()).toBe(0);
    await impostor.close();

    const back = await hostOn(port, identityA);
    io.stdin.end('after\n');
    expect(await withTimeout(done, 10_000, 'the join to finish')).toBe(0);
    await until(() => back.peers().length === 0, 5000, 'the writer to leave');
    expect(io.output()).toMatch(/writer: before\n[^]*reconnected[^]*writer: after\n/);
  });
});
