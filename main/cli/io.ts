/**
 * What a CLI command gets from the process, passed in so tests can run commands in-process with
 * their own streams, environment and stop signal.
 */
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  env: Record<string, string | undefined>;
  /** Aborted when the process is asked to stop (SIGINT, SIGTERM). */
  stop: AbortSignal;
}

export function writeLine(stream: Writable, line: string): void {
  stream.write(`${line}\n`);
}

/** Problems go to stderr as one line prefixed with the program name, never a stack trace. */
export function reportProblem(io: CliIo, problem: string): void {
  writeLine(io.stderr, `parley: ${problem}`);
}

/** Resolves when `signal` is aborted (at once if it already is). */
export function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
