import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { once } from 'node:events';
import path from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { AckSender, type Recorder, type SenderPlace } from '../../../bench/load/ack-sender';
import { LatencyHistogram } from '../../../bench/load/histogram';
import {
  startPlainAckWsServer,
  TurnCommit,
  type PlainAckServer,
} from '../../../bench/targets/plain-ack-ws';
import { until } from '../../support/wait';

const ACKS = 20;
const WAIT_MS = 5000;

let server: PlainAckServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** One sender at full speed until `acks` of its says are acked (or the wait runs out). */
async function sendUntilAcked(
  port: number,
  place: SenderPlace,
  acks = ACKS,
): Promise<{ acked: number; p50Ms: number }> {
  const recorder: Recorder = { histogram: new LatencyHistogram() };
  const sender = await AckSender.open(port, `t-${place}`, recorder, place);
  sender.start();
  try {
    await until(() => sender.acked >= acks, WAIT_MS, `${acks} acks in ${place}`);
  } finally {
    sender.close();
  }
  return { acked: sender.acked, p50Ms: recorder.histogram.summary().p50Ms };
}

describe('plain ws ack server (the floor of bench:acks)', () => {
  it('acks says in general and in a channel of their own', async () => {
    server = await startPlainAckWsServer({ durable: false });
    expect(server.logFile).toBeUndefined();
    expect((await sendUntilAcked(server.port, 'general')).acked).toBeGreaterThanOrEqual(ACKS);
    expect((await sendUntilAcked(server.port, 'own-channel')).acked).toBeGreaterThanOrEqual(ACKS);
  });

  it('when durable, acks a say only once it is in the log file', async () => {
    server = await startPlainAckWsServer({ durable: true });
    const { acked } = await sendUntilAcked(server.port, 'own-channel');
    expect(acked).toBeGreaterThanOrEqual(ACKS);
    const says = readFileSync(server.logFile!, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{"type":"say"'));
    // The sender may have one more say in flight when it stops; every acked one is there.
    expect(says.length).toBeGreaterThanOrEqual(acked);
  });

  it('when busy, spends at least its busy time on each say before acking it', async () => {
    server = await startPlainAckWsServer({ durable: true, busyMsPerSay: 20 });
    const { p50Ms } = await sendUntilAcked(server.port, 'own-channel', 5);
    expect(p50Ms).toBeGreaterThanOrEqual(20);
  });

  it('closes a connection that sends something it does not know, and removes its log at close', async () => {
    server = await startPlainAckWsServer({ durable: true });
    const client = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
    await once(client, 'open');
    client.send('not json');
    const [code] = (await once(client, 'close')) as [number];
    expect(code).toBe(1008);
    const dir = path.dirname(server.logFile!);
    await server.close();
    server = undefined;
    expect(existsSync(dir)).toBe(false);
  });

  it('drops a turn still due when it closes, without writing to the closed log', async () => {
    // A say read in the same turn as the stop: the server closes, and the log with it, before the
    // turn commits (a full run's child crashed with EBADF there).
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-turn-commit-'));
    const fd = openSync(path.join(dir, 'log'), 'a');
    const sent: string[] = [];
    const client = { send: (frame: string) => sent.push(frame) } as unknown as WebSocket;
    try {
      const commits = new TurnCommit(fd, 0);
      commits.add(client, '{"type":"say"}', '{"type":"ack"}');
      commits.close();
      closeSync(fd);
      await nextTurn();
      expect(sent).toEqual([]);
      expect(readFileSync(path.join(dir, 'log'), 'utf8')).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
