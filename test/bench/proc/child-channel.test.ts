import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChildChannel } from '../../../bench/proc/child-channel';
import { writeChildScript } from './child-script';

const eventSchema = v.variant('type', [
  v.object({ type: v.literal('hello'), pid: v.number(), cpus: v.string(), openFiles: v.number() }),
  v.object({ type: v.literal('tick'), n: v.number() }),
  v.object({ type: v.literal('failed'), message: v.string() }),
]);
type Event = v.InferOutput<typeof eventSchema>;
type Command = { type: 'bye' | 'junk' | 'fail' | 'crash' | 'twice' | 'silence' };

let dir: string;
let channel: ChildChannel<Command, Event>;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-bench-channel-'));
  const child = fork(await writeChildScript(dir), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  channel = new ChildChannel<Command, Event>(child, eventSchema, 'test child');
});
afterEach(async () => {
  channel.kill();
  await channel.exited;
  await rm(dir, { recursive: true, force: true });
});

describe('ChildChannel', () => {
  it('hands over events in order, including ones that came before anyone waited', async () => {
    const hello = await channel.next('hello', 15_000);
    expect(hello.pid).toBe(channel.pid);
    channel.send({ type: 'twice' });
    await expect(channel.next('tick', 5000)).resolves.toEqual({ type: 'tick', n: 1 });
    await expect(channel.next('tick', 5000)).resolves.toEqual({ type: 'tick', n: 2 });
  });

  it('rejects a wait when the child reports failure, sends junk, goes silent or exits', async () => {
    await channel.next('hello', 15_000);
    await expect(channel.request({ type: 'fail' }, 'tick', 5000)).rejects.toMatchObject({
      code: 'child_failed',
      message: 'test child: asked to fail',
    });
    await expect(channel.request({ type: 'junk' }, 'tick', 5000)).rejects.toMatchObject({
      code: 'child_bad_message',
    });
    await expect(channel.request({ type: 'silence' }, 'tick', 50)).rejects.toMatchObject({
      code: 'child_timeout',
    });
    await expect(channel.request({ type: 'crash' }, 'tick', 5000)).rejects.toMatchObject({
      code: 'child_exited',
      message: 'test child exited (code 3)',
    });
    expect(channel.alive).toBe(false);
    await expect(channel.next('tick', 5000)).rejects.toMatchObject({ code: 'child_exited' });
  });

  it('stops a child politely, or by force when it does not exit', async () => {
    await channel.next('hello', 15_000);
    await channel.stop({ type: 'silence' }, 100);
    expect(channel.alive).toBe(false);
    expect(channel.child.signalCode).toBe('SIGKILL');
  });
});
