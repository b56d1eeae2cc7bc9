/**
 * The host's frame decoder and session state machine, fuzzed over real sockets with fast-check:
 * arbitrary JSON and text (lone surrogates included), numbers past every range, 10^4 levels of
 * nesting, prototype-pollution keys everywhere, random frame types in random orders, random bytes.
 * Every frame must get exactly the documented answer, the host must never log an internal error,
 * another client's ping must keep coming back within a bound, and no prototype may change.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHost } from '../../main/host/server';
import type { ParleyHost } from '../../main/host/types';
import { resolveLimits } from '../../protocol/wire/limits';
import { FuzzClient, type Received } from './support/fuzz-client';
import { deeplyNested, outbound, wellFormedHello, type Outbound } from './support/fuzz-frames';
import { SessionModel, type Expected } from './support/session-model';

const LIMITS = {
  rateBurst: 1_000_000,
  ratePerSecond: 1_000_000,
  heartbeatIntervalMs: 0,
  helloTimeoutMs: 60_000,
  // Room for the deepest nesting below; the 64 KiB default is tested in test/main/host.
  maxPayloadBytes: 1024 * 1024,
};
const limits = resolveLimits(LIMITS);
/** Longest a bystander's ping may take while the host is being fuzzed (two shared cores). */
const STALL_BOUND_MS = 1000;
const ANSWER_TIMEOUT_MS = 5000;
const PING: Outbound = { kind: 'text', data: '{"type":"ping"}' };
/** Answered (bad_json) in every state without changing it. */
const MARKER: Outbound = { kind: 'text', data: '"end of the frames"' };
/** Frames of a session from its start: well-formed hellos often enough to get past the welcome. */
const sessionStep = fc.oneof(
  { weight: 3, arbitrary: outbound },
  { weight: 1, arbitrary: wellFormedHello },
);
/** Each property stops after this long, whatever its run count: the machine is shared. */
const RUN_LIMITS = { interruptAfterTimeLimit: 15_000, markInterruptAsFailure: false };
const TEST_TIMEOUT_MS = 60_000;

const prototypesBefore = snapshotPrototypes();
let staticDir: string;
let internalErrors: ReturnType<typeof vi.spyOn>;
const open: { host: ParleyHost | undefined; clients: FuzzClient[] } = {
  host: undefined,
  clients: [],
};

beforeAll(async () => {
  staticDir = await mkdtemp(join(tmpdir(), 'parley-fuzz-'));
  internalErrors = vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(async () => {
  for (const client of open.clients.splice(0)) client.terminate();
  await open.host?.close();
  open.host = undefined;
});

afterAll(async () => {
  await rm(staticDir, { recursive: true, force: true });
  // "Never throws": the host reports every bug it catches through console.error.
  expect(internalErrors).not.toHaveBeenCalled();
  internalErrors.mockRestore();
  expect(snapshotPrototypes()).toEqual(prototypesBefore);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

function snapshotPrototypes() {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((proto) =>
    Object.getOwnPropertyNames(proto).sort(),
  );
}

async function startRoom(): Promise<{ host: ParleyHost; url: string; observer: FuzzClient }> {
  const host = await startHost({ host: '127.0.0.1', port: 0, staticDir, limits: LIMITS });
  open.host = host;
  const url = `ws://127.0.0.1:${host.port}/ws`;
  const observer = await joined(url, 'observer');
  return { host, url, observer };
}

/** Runs `body` in a fresh room that is closed afterwards, whatever happens. */
async function withRoom(
  body: (room: { url: string; observer: FuzzClient }) => Promise<void>,
): Promise<void> {
  try {
    await body(await startRoom());
  } finally {
    for (const client of open.clients.splice(0)) client.terminate();
    await open.host?.close();
    open.host = undefined;
  }
}

async function connect(url: string): Promise<FuzzClient> {
  const client = await FuzzClient.open(url);
  open.clients.push(client);
  return client;
}

async function joined(url: string, name: string): Promise<FuzzClient> {
  const client = await connect(url);
  client.send({ kind: 'text', data: JSON.stringify({ type: 'hello', name }) });
  await client.waitFor(1, ANSWER_TIMEOUT_MS);
  expect(client.answers[0]?.type).toBe('welcome');
  return client;
}

/** A bystander's ping must come back, and quickly, whatever the fuzzer is doing. */
async function expectResponsive(observer: FuzzClient): Promise<void> {
  const started = performance.now();
  const before = observer.answers.length;
  observer.send(PING);
  await observer.waitFor(before + 1, ANSWER_TIMEOUT_MS);
  expect(observer.answers.at(-1)?.type).toBe('pong');
  expect(performance.now() - started).toBeLessThan(STALL_BOUND_MS);
}

function expectAnswers(got: Received[], expected: Expected[]): void {
  const shape = (frame: Received | Expected) =>
    frame.type === 'error'
      ? { type: 'error', code: frame.code, ref: frame.ref ?? null }
      : { type: frame.type };
  expect(got.map(shape)).toEqual(expected.map(shape));
}

describe('after the welcome', () => {
  it(
    'answers every frame exactly as documented, and keeps serving everyone',
    async () => {
      const { url, observer } = await startRoom();
      const fuzzer = await joined(url, 'fuzzer');
      const model = new SessionModel(limits, ['observer'], true);
      let answered = fuzzer.answers.length;
      await fc.assert(
        fc.asyncProperty(outbound, async (frame) => {
          const expected = [...model.answer(frame), { type: 'pong' } as const];
          fuzzer.send(frame);
          fuzzer.send(PING);
          await fuzzer.waitFor(answered + expected.length, ANSWER_TIMEOUT_MS);
          expectAnswers(fuzzer.answers.slice(answered), expected);
          answered += expected.length;
          expect(fuzzer.closeCode).toBeUndefined();
          await expectResponsive(observer);
        }),
        { numRuns: 1000, ...RUN_LIMITS },
      );
      expect(fuzzer.unreadable).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it('handles 10^4 levels of nesting in every position without slowing the others', async () => {
    const { url, observer } = await startRoom();
    const fuzzer = await joined(url, 'fuzzer');
    const model = new SessionModel(limits, ['observer'], true);
    for (const data of deeplyNested()) {
      const frame: Outbound = { kind: 'text', data };
      const copies = 5;
      const expected: Expected[] = Array.from({ length: copies }, () => model.answer(frame)).flat();
      expected.push({ type: 'pong' });
      const before = fuzzer.answers.length;
      // Several at once, so the bystander's ping has to get through between them.
      for (let copy = 0; copy < copies; copy++) fuzzer.send(frame);
      fuzzer.send(PING);
      await expectResponsive(observer);
      await fuzzer.waitFor(before + expected.length, ANSWER_TIMEOUT_MS);
      expectAnswers(fuzzer.answers.slice(before), expected);
    }
  });
});

describe('before the welcome', () => {
  it(
    'follows the state machine whatever frames come in whatever order',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(sessionStep, { minLength: 1, maxLength: 6 }), (frames) =>
          withRoom(async ({ url, observer }) => {
            const fuzzer = await connect(url);
            const model = new SessionModel(limits, ['observer']);
            const expected = frames.flatMap((frame) => model.answer(frame));
            for (const frame of frames) fuzzer.send(frame);
            if (model.state === 'closed') {
              const closes = expected.at(-1)?.type === 'error' ? expected.at(-1) : undefined;
              expect(await fuzzer.closed(ANSWER_TIMEOUT_MS)).toBe(
                closes?.type === 'error' ? closes.closes : undefined,
              );
              expectAnswers(fuzzer.answers, expected);
            } else {
              // A ping would end a session still waiting for its hello: mark the end with a string.
              fuzzer.send(MARKER);
              const all = [...expected, ...model.answer(MARKER)];
              await fuzzer.waitFor(all.length, ANSWER_TIMEOUT_MS);
              expectAnswers(fuzzer.answers, all);
              expect(fuzzer.closeCode).toBeUndefined();
            }
            await expectResponsive(observer);
            expect(fuzzer.unreadable).toEqual([]);
          }),
        ),
        { numRuns: 250, ...RUN_LIMITS },
      );
    },
    TEST_TIMEOUT_MS,
  );
});

describe('raw bytes in text frames', () => {
  it(
    'closes with 1007 on invalid UTF-8 and reads valid UTF-8 as any other text',
    async () => {
      const utf8 = new TextDecoder('utf-8', { fatal: true });
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 24 }), (bytes) =>
          withRoom(async ({ url, observer }) => {
            const fuzzer = await joined(url, 'fuzzer');
            let text: string | undefined;
            try {
              text = utf8.decode(bytes);
            } catch {
              text = undefined;
            }
            fuzzer.sendBytesAsText(bytes);
            if (text === undefined) {
              expect(await fuzzer.closed(ANSWER_TIMEOUT_MS)).toBe(1007);
            } else {
              const model = new SessionModel(limits, ['observer'], true);
              const expected = [
                ...model.answer({ kind: 'text', data: text }),
                { type: 'pong' } as const,
              ];
              fuzzer.send(PING);
              await fuzzer.waitFor(1 + expected.length, ANSWER_TIMEOUT_MS);
              expectAnswers(fuzzer.answers.slice(1), expected);
            }
            await expectResponsive(observer);
          }),
        ),
        { numRuns: 200, ...RUN_LIMITS },
      );
    },
    TEST_TIMEOUT_MS,
  );
});
