/** CliIo over in-memory streams, for running commands in-process. */
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../../../main/cli/io';
import { withTimeout } from '../../../protocol/support/wait';

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
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const listener of [...listeners]) listener();
  });
  stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const controller = new AbortController();
  return {
    stdin,
    stdout,
    stderr,
    env: options.env ?? {},
    stop: controller.signal,
    requestStop: () => controller.abort(),
    output: () => out,
    errors: () => err,
    waitForOutput(pattern, ms = 5000) {
      const found = new Promise<RegExpMatchArray>((resolve) => {
        const check = () => {
          const match = out.match(pattern);
          if (!match) return;
          listeners.delete(check);
          resolve(match);
        };
        listeners.add(check);
        check();
      });
      return withTimeout(found, ms, `output matching ${pattern} (got: ${JSON.stringify(out)})`);
    },
  };
}
