/**
 * `parley join` with stdin from a pipe or file: every non-empty line is one message, to `general`
 * or the conversation `--conv #name` / `--to NAME` chose. It exits once every line is
 * acknowledged (or refused), riding out host restarts in between: unacknowledged lines wait in
 * the session's outbox and go out again with their original ids.
 */
import { createInterface } from 'node:readline';
import type { EndReason } from '../../protocol/client/client-types';
import type { ClientSession } from '../../protocol/client/client-session';
import { ExitCode, exitCodeForSession } from './exit-codes';
import { reportProblem, whenAborted, type CliIo } from './io';
import { describeFailed } from './join-output';

const ECHO_WAIT_MS = 2_000;

export async function runPiped(session: ClientSession, io: CliIo, conv: string): Promise<number> {
  let endedBy: EndReason | undefined;
  const lines = createInterface({
    input: io.stdin,
    crlfDelay: Number.POSITIVE_INFINITY,
    terminal: false,
  });
  const stopReading = () => lines.close();
  const offEnded = session.on('ended', (reason) => {
    endedBy = reason;
    stopReading();
  });
  io.stop.addEventListener('abort', stopReading, { once: true });
  let highestAck = 0;
  const offAck = session.on('ack', (ack) => {
    if (ack.conv === conv) highestAck = Math.max(highestAck, ack.seq);
  });
  try {
    for await (const line of lines) {
      if (endedBy) break;
      if (line.trim() !== '') session.send({ conv, text: line });
    }
    // A session that ends rejects whenSettled; the reason is reported below either way.
    await Promise.race([session.whenSettled().catch(() => undefined), whenAborted(io.stop)]);
    await Promise.race([ownMessagesShown(session, conv, highestAck), whenAborted(io.stop)]);
  } finally {
    io.stop.removeEventListener('abort', stopReading);
    offEnded();
    offAck();
  }

  if (endedBy) {
    reportProblem(io, endedBy.message);
    return exitCodeForSession(endedBy.code) || ExitCode.failure;
  }
  const unsettled = session.outbox;
  await session.close();
  for (const message of unsettled.filter((entry) => entry.state === 'failed')) {
    reportProblem(io, describeFailed(message));
  }
  const pending = unsettled.filter((entry) => entry.state === 'pending').length;
  if (pending > 0)
    reportProblem(io, `stopped with ${pending} message(s) not confirmed by the host`);
  return unsettled.length > 0 ? ExitCode.failure : ExitCode.ok;
}

/**
 * The host may ack a message before echoing it; wait (briefly) for the echo so the output shows
 * every line that was sent, like an interactive session does.
 */
function ownMessagesShown(session: ClientSession, conv: string, seq: number): Promise<void> {
  if (session.cursor(conv) >= seq || session.state !== 'open') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      offMessage();
      offState();
      resolve();
    };
    const timer = setTimeout(done, ECHO_WAIT_MS);
    const offMessage = session.on('entry', () => {
      if (session.cursor(conv) >= seq) done();
    });
    const offState = session.on('state', done);
  });
}
