import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { AckSender, FULL_SPEED, type Recorder } from '../../../bench/load/ack-sender';
import { LatencyHistogram } from '../../../bench/load/histogram';
import { until } from '../../support/wait';

/** A host that welcomes, acks the first `say`, then does `then` with the second. */
async function scriptedHost(then: (socket: WebSocket) => void) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const says: string[] = [];
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; id?: string };
      if (frame.type === 'hello') socket.send(JSON.stringify({ type: 'welcome' }));
      if (frame.type !== 'say') return;
      says.push(frame.id ?? '');
      if (says.length === 1) socket.send(JSON.stringify({ type: 'ack', id: frame.id }));
      else then(socket);
    });
  });
  const { port } = server.address() as { port: number };
  const close = () => {
    for (const client of server.clients) client.terminate();
    return new Promise((resolve) => server.close(resolve));
  };
  return { port, says, close };
}

describe('AckSender', () => {
  let stops: (() => unknown)[] = [];
  afterEach(async () => {
    for (const stop of stops) await stop();
    stops = [];
  });

  async function sender(then: (socket: WebSocket) => void) {
    const host = await scriptedHost(then);
    const recorder: Recorder = { histogram: new LatencyHistogram() };
    const opened = await AckSender.open(host.port, 'one', recorder, 'general', FULL_SPEED);
    stops.push(() => opened.close(), host.close);
    return { host, opened };
  }

  it('stops and reports a say the host refused, without throwing from the socket', async () => {
    const { host, opened } = await sender((socket) =>
      socket.send(JSON.stringify({ type: 'error', code: 'rate_limited' })),
    );
    opened.start();
    await until(() => opened.failure !== undefined, 2000, 'the refusal to be noticed');
    expect(opened.failure?.message).toMatch(/^one: the host refused a say: .*rate_limited/);
    expect(opened.acked).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(host.says).toHaveLength(2);
  });

  it('reports a host that drops the connection while it sends', async () => {
    const { opened } = await sender((socket) => socket.terminate());
    opened.start();
    await until(() => opened.failure !== undefined, 2000, 'the dropped connection');
    expect(opened.failure?.message).toMatch(/^one: the host closed its connection \(1006\)/);
  });

  it('reports nothing when it is closed after being stopped', async () => {
    const { opened } = await sender(() => undefined);
    opened.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    opened.stop();
    opened.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(opened.failure).toBeUndefined();
  });
});
