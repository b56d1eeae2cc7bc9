/**
 * The terminal client fed from a pipe (`parley join` with lines on stdin) while its host is
 * killed with SIGKILL and restarted: it must ride out the outage, exit 0 once the host confirmed
 * every line, and the history must hold every line exactly once, in the order written.
 */
import { describe, expect, it } from 'vitest';
import { spawnParley, type ParleyProcess } from '../support/parley-process';
import { useCliTestFile } from './helpers/cli-test-file';
import { startCliHost } from './helpers/cli-process';
import { readStoredHistory } from './helpers/stored-history';
import { delay } from '../support/wait';

const dirs = useCliTestFile('cli-join');

const NAME = 'piper';
const line = (n: number) => `line ${n} from the pipe`;
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** How the join prints a message of ours: `[HH:MM] piper: TEXT (#SEQ)`. */
const echoOf = (n: number) => new RegExp(`\\] ${NAME}: ${escaped(line(n))} \\(#\\d+\\)\\n`);

function writeLine(join: ParleyProcess, n: number): void {
  join.child.stdin.write(`${line(n)}\n`);
}

/** Writes line n and waits for the host's echo: the slow, one-at-a-time rhythm of a pipe. */
async function writeConfirmed(join: ParleyProcess, n: number): Promise<void> {
  writeLine(join, n);
  await join.waitForOutput(echoOf(n));
}

describe('parley join from a pipe across a host restart', () => {
  it('exits 0 and every line is in the history exactly once', async () => {
    const dir = await dirs.make();
    let host = await startCliHost({ dataDir: dir });
    const port = host.port;
    // The invite pins the host's certificate; the restarted host keeps it (it lives in `dir`).
    const join = spawnParley(['join', host.invite ?? host.address, '--name', NAME], {
      home: await dirs.make(),
    });
    await host.process.waitForOutput(new RegExp(`\\* ${NAME} joined`));

    let n = 0;
    // Calm phase: one line at a time, each confirmed.
    while (n < 6) await writeConfirmed(join, ++n);
    // A burst the host is killed in the middle of: some lines stored and acknowledged, some
    // stored without the ack getting out, some never read.
    while (n < 12) writeLine(join, ++n);
    await join.waitForOutput(echoOf(8));
    expect((await host.stop('SIGKILL')).signal).toBe('SIGKILL');
    await join.waitForOutput(/connection lost; reconnecting/);
    // Lines written while there is no host wait in the outbox.
    while (n < 16) {
      writeLine(join, ++n);
      await delay(50);
    }
    host = await startCliHost({ dataDir: dir, port });
    await join.waitForOutput(/\* reconnected/, 20_000);
    while (n < 20) await writeConfirmed(join, ++n);
    join.child.stdin.end();

    const exit = await join.waitForExit(20_000);
    // Notes (a first-use fingerprint) may go to stderr; problems are `parley: …` lines.
    expect(join.stderr()).not.toMatch(/^parley:/m);
    expect(exit).toEqual({ code: 0, signal: null });
    for (let k = 1; k <= n; k++) {
      // Printed once: the resume delivers the missed lines without repeating seen ones.
      expect(join.stdout().match(new RegExp(echoOf(k).source, 'g')), line(k)).toHaveLength(1);
    }

    expect((await host.stop('SIGTERM')).code).toBe(0);
    const stored = await readStoredHistory(dir);
    expect(stored.messages.map(({ text }) => text)).toEqual(
      Array.from({ length: n }, (_, index) => line(index + 1)),
    );
    expect(stored.messages.map(({ seq }) => seq)).toEqual(
      Array.from({ length: n }, (_, index) => index + 1),
    );
    expect(new Set(stored.messages.map(({ from }) => from.id)).size).toBe(1);
    expect(host.port).toBe(port);
  }, 60_000);
});
