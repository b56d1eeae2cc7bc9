/**
 * An honest sender, under the sustained rate, while the host's own loop stalls (SIGSTOP here;
 * CPU starvation on a loaded machine does the same): its messages pile up in TCP and arrive
 * together once the host runs again. They are not a burst the sender made, and none of them may
 * be refused as one.
 */
import { describe, expect, it } from 'vitest';
import { delay, until } from '../support/wait';
import { startCliHost } from './helpers/cli-process';
import { useCliTestFile } from './helpers/cli-test-file';
import { RawClient } from './helpers/raw-client';

const dirs = useCliTestFile('rate-after-stall');

/** Four messages a second, under the default sustained rate of five. */
const PACE_MS = 250;
/** The host is stopped this long: 24 messages pile up, more than the burst of 20. */
const STALL_MS = 6000;

describe('a host whose loop stalls', () => {
  it('does not refuse an honest sender’s messages that arrive together afterwards', async () => {
    const host = await startCliHost({ dataDir: await dirs.make() });
    const { client } = await RawClient.join(host.url, 'steady');
    let sent = 0;
    const say = () => client.say(`m${++sent}`, `message ${sent}`);
    const pacer = setInterval(say, PACE_MS);
    try {
      // A steady rhythm first: a full bucket's worth goes at the sender's own pace.
      await until(() => client.received('ack').length >= 8, 10_000, 'the first acks');
      process.kill(host.pid, 'SIGSTOP');
      try {
        // Stopped on purpose: what matters is what piles up meanwhile.
        await delay(STALL_MS);
      } finally {
        process.kill(host.pid, 'SIGCONT');
      }
      const afterStall = sent;
      await until(() => sent >= afterStall + 4, 10_000, 'a few messages after the stall');
    } finally {
      clearInterval(pacer);
    }
    await until(
      () => client.received('ack').length + client.received('error').length >= sent,
      30_000,
      `answers to all ${sent} messages`,
    );
    expect(client.received('error')).toEqual([]);
    expect(client.received('ack')).toHaveLength(sent);
  }, 60_000);
});
