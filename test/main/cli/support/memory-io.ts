/** CliIo over in-memory streams, for running commands in-process. */
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../../../main/cli/io';
import { watchOutput } from '../../../support/output-watch';

export interface MemoryIo extends CliIo {
  stdin: PassThrough & { isTTY?: boolean };
  stop: AbortSignal;
  requestStop(): void;
  output(): string;
  errors(): string;
  waitForOutput(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
}

export function memoryIo(options: { tty?: boolean; env?: Record<string, string> } = {}): MemoryIo {
  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  const stdout = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  const stderr = new PassThrough();
  const output = watchOutput(stdout, stderr);
  const controller = new AbortController();
  return {
    stdin,
    stdout,
    stderr,
    env: options.env ?? {},
    stop: controller.signal,
    requestStop: () => controller.abort(),
    output: output.stdout,
    errors: output.stderr,
    waitForOutput: (pattern, ms = 5000) => output.waitForOutput(pattern, ms),
  };
}
