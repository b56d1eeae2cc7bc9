/**
 * `parley` end to end: the built command run as child processes, talking over 127.0.0.1, each
 * person with a terminal (config folder, identity) of their own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BUILD_TIMEOUT_MS, ensureCliBuilt } from '../../support/cli-build';
import {
  asPerson,
  exitOf,
  killAll,
  removeIsolatedHome,
  runParley,
  type ParleyProcess,
} from './support/run-parley';

beforeAll(() => ensureCliBuilt(), CLI_BUILD_TIMEOUT_MS);

afterEach(() => {
  killAll();
});

const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  removeIsolatedHome();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-cli-'));
  tempDirs.push(dir);
  return dir;
}

/**
 * Starts `parley host` on a free loopback port and returns it once it printed its port. Not
 * advertised: a test must not multicast on the machine's network (host-discovery.test.ts
 * covers advertising, on loopback).
 */
async function startHostProcess(extra: string[] = ['--memory'], port = 0) {
  const flags = ['--port', String(port), '--bind', '127.0.0.1', '--no-discovery'];
  const host = runParley(['host', ...flags, ...extra]);
  const [, printed] = await host.waitForOutput(/open on port (\d+)\./);
  await host.waitForOutput(/Press Ctrl\+C/);
  return { host, port: Number(printed), address: `127.0.0.1:${printed}` };
}

/** `parley join` by the person `name` (a terminal of their own: see asPerson). */
function joinAs(address: string, name: string, extra: string[] = []) {
  return runParley(['join', address, '--name', name, ...extra], asPerson(name));
}

/** A piped `parley join` fed `lines`; its stdin is ended so it exits once they are confirmed. */
function pipedJoin(address: string, name: string, lines: string[], extra: string[] = []) {
  const join = joinAs(address, name, extra);
  join.child.stdin.end(lines.map((line) => `${line}\n`).join(''));
  return join;
}

function oneLine(text: string): string {
  const lines = text.split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

/** The last line: a first join to a room prints the room's fingerprint before any problem. */
function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .filter((line) => line !== '')
      .at(-1) ?? ''
  );
}

// Each test runs several built commands one after another (about 20 s on an idle machine).
describe('parley (built command) in rooms', { timeout: 90_000 }, () => {
  it('lets two piped clients talk through a host, while a third reads along', async () => {
    const { host, address } = await startHostProcess(['--memory', '--room', 'Lab']);
    expect(host.stdout()).toContain('Room "Lab" is open');
    expect(host.stdout()).toContain('in memory only');
    expect(host.stdout()).toContain(`${address}`);

    const reader = joinAs(address, 'reader');
    await host.waitForOutput(/\[\d\d:\d\d\] \* reader joined/);

    const alice = pipedJoin(address, 'alice', ['hello from alice', 'second line']);
    expect(await exitOf(alice)).toEqual({ code: 0, signal: null });
    expect(alice.stdout()).toMatch(
      /\[\d\d:\d\d\] alice: hello from alice \(#\d+\)\n\[\d\d:\d\d\] alice: second line \(#\d+\)\n/,
    );

    const bob = pipedJoin(address, 'bob', ['hi alice, bob here']);
    expect(await exitOf(bob)).toEqual({ code: 0, signal: null });
    // Bob got Alice's lines as history on joining, then his own.
    expect(bob.stdout()).toMatch(
      /alice: hello from alice \(#\d+\)\n.*alice: second line \(#\d+\)\n.*bob: hi alice, bob here \(#\d+\)\n/s,
    );

    await reader.waitForOutput(/bob: hi alice, bob here/);
    expect(reader.stdout().match(/: .*\n/g)).toEqual([
      expect.stringMatching(/^: hello from alice \(#\d+\)\n$/),
      expect.stringMatching(/^: second line \(#\d+\)\n$/),
      expect.stringMatching(/^: hi alice, bob here \(#\d+\)\n$/),
    ]);
    expect(reader.stdout()).toMatch(/\* alice joined/);
    await host.waitForOutput(/\* bob left/);
    expect(host.stdout()).toMatch(/\* alice joined\n.*\* alice left\n.*\* bob joined/s);

    // Someone else (another terminal, another identity) asking for the reader's name.
    const taken = pipedJoin(address, 'READER', ['nope']);
    expect((await exitOf(taken)).code).toBe(4);
    expect(lastLine(taken.stderr())).toBe('parley: Someone in this room already uses that name.');

    reader.child.stdin.end();
    expect((await exitOf(reader)).code).toBe(0);
    host.child.kill('SIGTERM');
    expect(await exitOf(host)).toEqual({ code: 0, signal: null });
  });

  it('lets a client join with the invite the host prints, pinned and without questions', async () => {
    const { host } = await startHostProcess(['--memory', '--room', 'Invited']);
    const [, invite] = await host.waitForOutput(/invite: (parley:\/\/\S+)/);
    expect(host.stdout()).toMatch(/Fingerprint: ([0-9A-F]{4} ){7}[0-9A-F]{4}\n/);
    const guest = pipedJoin(invite!, 'guest', ['by invite']);
    expect(await exitOf(guest)).toEqual({ code: 0, signal: null });
    expect(guest.stderr()).toBe('');
    expect(guest.stdout()).toMatch(/guest: by invite \(#\d+\)\n/);
    host.child.kill('SIGTERM');
    expect((await exitOf(host)).code).toBe(0);
  });

  it('exits 3 on a wrong password and 5 when no host is there', async () => {
    const { host, address, port } = await startHostProcess(['--memory', '--password', 'sesame']);
    expect(host.stdout()).toContain('need the password');
    const wrong = pipedJoin(address, 'eve', ['let me in'], ['--password', 'open']);
    expect((await exitOf(wrong)).code).toBe(3);
    expect(lastLine(wrong.stderr())).toBe('parley: Wrong password for this room.');
    const right = pipedJoin(address, 'eve', ['thanks'], ['--password', 'sesame']);
    expect((await exitOf(right)).code).toBe(0);

    host.child.kill('SIGTERM');
    expect((await exitOf(host)).code).toBe(0);
    const nobody = pipedJoin(address, 'eve', ['anyone?']);
    expect((await exitOf(nobody)).code).toBe(5);
    expect(oneLine(nobody.stderr())).toBe(
      `parley: Could not reach a Parley host at wss://127.0.0.1:${port}/ws.`,
    );
  });

  it('keeps a piped client going through a host restart, and the history keeps every line once', async () => {
    const dataDir = await tempDir();
    const first = await startHostProcess(['--data', dataDir, '--room', 'Durable']);
    expect(first.host.stdout()).toContain(join(dataDir, 'parley.db'));

    const writer: ParleyProcess = joinAs(first.address, 'writer');
    writer.child.stdin.write('before 1\nbefore 2\n');
    await writer.waitForOutput(/writer: before 2/);

    first.host.child.kill('SIGTERM');
    expect((await exitOf(first.host)).code).toBe(0);
    await writer.waitForOutput(/reconnecting/);
    writer.child.stdin.write('while away\n');

    const second = await startHostProcess(['--data', dataDir], first.port);
    expect(second.host.stdout()).toContain('Room "Durable"');
    writer.child.stdin.end('after\n');
    expect(await exitOf(writer, 30_000)).toEqual({ code: 0, signal: null });
    expect(writer.stdout()).toMatch(/reconnected/);

    const check = pipedJoin(second.address, 'checker', []);
    expect((await exitOf(check)).code).toBe(0);
    // Each line once, in order, each with its seq (#N) after it.
    const lines = check.stdout().match(/writer: .*\n/g) ?? [];
    expect(lines.every((line) => / \(#\d+\)\n$/.test(line))).toBe(true);
    expect(lines.map((line) => line.replace(/ \(#\d+\)\n$/, '\n'))).toEqual([
      'writer: before 1\n',
      'writer: before 2\n',
      'writer: while away\n',
      'writer: after\n',
    ]);
    second.host.child.kill('SIGTERM');
    expect((await exitOf(second.host)).code).toBe(0);
  });

  it('sends piped lines to a channel and to one person, as the same person each time', async () => {
    const { host, address } = await startHostProcess(['--memory', '--room', 'Conversations']);
    const reader = joinAs(address, 'reader');
    await host.waitForOutput(/\* reader joined/);

    const first = pipedJoin(address, 'writer', ['in general']);
    expect((await exitOf(first)).code).toBe(0);
    const direct = pipedJoin(address, 'writer', ['only for reader'], ['--to', 'reader']);
    expect((await exitOf(direct)).code).toBe(0);
    await reader.waitForOutput(/\[\d\d:\d\d\] @writer writer: only for reader/);
    const missing = pipedJoin(address, 'writer', ['lost'], ['--conv', '#nowhere']);
    expect((await exitOf(missing)).code).toBe(2);
    expect(lastLine(missing.stderr())).toBe('parley: there is no channel #nowhere in this room');

    reader.child.stdin.end();
    expect((await exitOf(reader)).code).toBe(0);
    host.child.kill('SIGTERM');
    expect((await exitOf(host)).code).toBe(0);
  });
});
