/**
 * Random interleavings of sending, cut connections, clients leaving and coming back, host
 * restarts and idle time (fast-check, bounded in runs, actions and time). Whatever happened, once
 * everyone settles: seqs are 1..N without gaps, every client holds that same stream exactly once
 * and in order, and every acknowledged message is in it under the seq its ack named.
 *
 * To search harder than the default budget: FAULT_RUNS=400 FAULT_TIME_MS=600000 npx vitest run
 * test/integration/random-faults.property.test.ts
 */
import fc from 'fast-check';
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, closeAllClients } from './helpers/chat-client';
import { closeDiskHosts, DiskHost } from './helpers/disk-host';
import { readStoredHistory } from './helpers/stored-history';
import { expectEveryoneAgrees, expectPostedOnce } from './helpers/stream-checks';
import { tempDirs } from './helpers/temp-dirs';
import { delay, until } from '../support/wait';

const dirs = tempDirs('random-faults');

afterEach(async () => {
  await closeAllClients();
  await closeDiskHosts();
  await dirs.removeAll();
});

const CLIENTS = 3;
const positiveWhole = (fallback: number) =>
  v.optional(v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(1)), String(fallback));
const RUNS = v.parse(positiveWhole(15), process.env.FAULT_RUNS);
const MIN_ACTIONS = 10;
const MAX_ACTIONS = 25;
/** The whole property, shrinking included; past it the test fails instead of running on. */
const TIME_LIMIT_MS = v.parse(positiveWhole(100_000), process.env.FAULT_TIME_MS);
const SETTLE_MS = 15_000;

type Action =
  | { kind: 'send'; client: number; count: number }
  /** `unsent` messages are posted into the socket's send buffer right before the cut: lost. */
  | { kind: 'cut'; client: number; unsent: number }
  /** The client stops reading: acks and broadcasts pile up unread until a cut or the end. */
  | { kind: 'deafen'; client: number }
  | { kind: 'leave'; client: number }
  | { kind: 'rejoin'; client: number }
  | { kind: 'restart' }
  | { kind: 'wait'; ms: number };

const client = fc.nat({ max: CLIENTS - 1 });
const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      client,
      count: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('cut' as const),
      client,
      unsent: fc.integer({ min: 0, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deafen' as const), client }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('leave' as const), client }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rejoin' as const), client }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.integer({ min: 0, max: 80 }),
    }),
  },
);

function postNext(client: ChatClient): void {
  client.send(`${client.name} #${client.posted.length + 1}`);
}

async function perform(action: Action, clients: ChatClient[], host: DiskHost): Promise<void> {
  switch (action.kind) {
    case 'send': {
      const sender = clients[action.client]!;
      if (!sender.online) return;
      for (let n = 0; n < action.count; n++) postNext(sender);
      return;
    }
    case 'cut': {
      const target = clients[action.client]!;
      const tcp = target.sockets.latest?.tcp;
      if (target.online && tcp && action.unsent > 0) {
        tcp.cork();
        for (let n = 0; n < action.unsent; n++) postNext(target);
      }
      target.sockets.cutLatest();
      return;
    }
    case 'deafen':
      clients[action.client]!.sockets.latest?.tcp?.pause();
      return;
    case 'leave':
      await clients[action.client]!.leave();
      return;
    case 'rejoin':
      await clients[action.client]!.rejoin();
      return;
    case 'restart':
      await host.restart();
      return;
    case 'wait':
      await delay(action.ms);
      return;
  }
}

/** Everyone back, nothing pending, every client at the last durable seq. */
async function settle(clients: ChatClient[], host: DiskHost): Promise<void> {
  for (const each of clients) {
    // A deafened connection that was never cut starts reading again.
    each.sockets.latest?.tcp?.resume();
    await each.rejoin();
  }
  await until(
    () =>
      clients.every(
        (each) =>
          each.session.state === 'open' &&
          each.pendingCount() === 0 &&
          each.lastSeq === host.durableSeq,
      ),
    SETTLE_MS,
    'every client to settle',
    () =>
      clients
        .map(
          (each) =>
            `${each.name}: ${each.session.state} seq ${each.lastSeq} pending ${each.pendingCount()}`,
        )
        .concat(`host durable ${host.durableSeq}`)
        .join('; '),
  );
}

async function runScenario(actions: Action[]): Promise<void> {
  const host = await DiskHost.start(await dirs.make());
  const clients = Array.from(
    { length: CLIENTS },
    (_, index) => new ChatClient({ url: host.url, name: `client-${index}` }),
  );
  try {
    await Promise.all(clients.map((each) => each.connect()));
    const roomId = clients[0]!.welcomes[0]!.roomId;
    for (const action of actions) await perform(action, clients, host);
    await settle(clients, host);
    await host.stop();

    const stored = await readStoredHistory(host.dir);
    expect(stored.room.id).toBe(roomId);
    expectEveryoneAgrees(clients, stored.messages);
    for (const each of clients) {
      expectPostedOnce(each, stored.messages);
      expect(each.failed()).toEqual([]);
      expect(each.endedBy).toBeUndefined();
      expect(each.roomChanges + each.gaps).toBe(0);
      expect(new Set(each.welcomes.map((welcome) => welcome.roomId))).toEqual(new Set([roomId]));
    }
  } finally {
    await Promise.all(clients.map((each) => each.close()));
    await host.close();
  }
}

describe('random faults', () => {
  it(
    'every acknowledged message reaches every client exactly once, in seq order',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(actionArbitrary, { minLength: MIN_ACTIONS, maxLength: MAX_ACTIONS }),
          runScenario,
        ),
        {
          numRuns: RUNS,
          plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS, { failOnInterrupt: true })],
        },
      );
    },
    TIME_LIMIT_MS + 20_000,
  );
});
