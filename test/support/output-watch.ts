/**
 * What a command printed, gathered as it comes, and a wait for a line of it. Serves child
 * processes (parley-process.ts) and commands run in-process over memory streams alike.
 */
import type { Readable } from 'node:stream';
import { withTimeout } from './wait';

export interface OutputWatch {
  /** All of stdout so far. */
  stdout(): string;
  /** All of stderr so far. */
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout so far or still to come. */
  waitForOutput(pattern: RegExp, ms: number): Promise<RegExpMatchArray>;
}

export function watchOutput(stdout: Readable, stderr: Readable): OutputWatch {
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const listener of [...listeners]) listener();
  });
  stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));

  return {
    stdout: () => out,
    stderr: () => err,
    waitForOutput(pattern, ms) {
      let check = (): void => undefined;
      const found = new Promise<RegExpMatchArray>((resolve) => {
        check = () => {
          const match = out.match(pattern);
          if (match) resolve(match);
        };
      });
      listeners.add(check);
      check();
      const described = () =>
        `output matching ${pattern} (stdout ${JSON.stringify(out)}, stderr ${JSON.stringify(err)})`;
      return withTimeout(found, ms, described).finally(() => listeners.delete(check));
    },
  };
}
