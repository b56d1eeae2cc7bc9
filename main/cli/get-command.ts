/**
 * `parley get URL [-o PATH]`: downloads a file a room's message carries (the address the terminal
 * prints beside it), continuing a partial download left by an earlier run (`PATH.part`) with a
 * Range request. An https:// address is fetched only from a host whose certificate this account
 * already trusts for that address (joined before), or the one --fingerprint names.
 */
import { basename, resolve } from 'node:path';
import * as v from 'valibot';
import { resolveJoinTarget } from '../../protocol/client/address';
import { DownloadError, downloadFile } from '../transfers/download-file';
import { safeFileName } from '../transfers/save-path';
import { EXIT_CODE_HELP, ExitCode } from './exit-codes';
import { reportProblem, writeLine, type CliIo } from './io';
import { sizeWords } from './chat-lines';
import { trustHost } from './join-trust';
import { CliProblem, UsageError, parseCommandArgs } from './usage-error';

export const GET_HELP = `Usage: parley get URL [-o PATH] [--fingerprint FP]

Downloads a file of a room: URL is the address printed beside it
(https://HOST:PORT/api/files/…). Saved as the file's name in this folder,
or as PATH with -o. An interrupted download is kept as PATH.part and
continued from there by the next \\\`parley get\\\` of the same URL and PATH.
The host's certificate must be the one this account trusts for its address
(as for \\\`parley join\\\`), or the one --fingerprint names.

Options:
  -o, --output PATH  where to save the file
  --fingerprint FP   the host's certificate fingerprint as the host shows it
  -h, --help         show this help

${EXIT_CODE_HELP}`;

const GET_FLAGS = {
  output: { type: 'string', short: 'o' },
  fingerprint: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const getArgsSchema = v.object({
  output: v.optional(v.string()),
  fingerprint: v.optional(v.string()),
  help: v.optional(v.boolean()),
});

export async function runGet(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, GET_FLAGS, true);
  const flags = v.parse(getArgsSchema, values);
  if (flags.help) {
    writeLine(io.stdout, GET_HELP);
    return ExitCode.ok;
  }
  try {
    if (positionals.length !== 1)
      throw new UsageError('get takes one URL: parley get URL [-o PATH]');
    const url = fileUrl(positionals[0]!);
    const path = resolve(flags.output ?? safeFileName(decodeURIComponent(basename(url.pathname))));
    const tls =
      url.protocol === 'https:'
        ? (
            await trustHost(resolveJoinTarget(`wss://${url.host}/ws`, flags.fingerprint), io, {
              withPassword: false,
              onIdentityChanged: () => undefined,
            })
          ).tls
        : undefined;
    let shownAt = 0;
    const size = await downloadFile({
      url: url.href,
      path,
      ...(tls && { tls }),
      signal: io.stop,
      onProgress: (done, total) => {
        const now = Date.now();
        if (now - shownAt < 1000) return;
        shownAt = now;
        writeLine(io.stderr, `${sizeWords(done)}${total ? ` of ${sizeWords(total)}` : ''}`);
      },
      onRetry: (error, delayMs) =>
        writeLine(io.stderr, `${error.message} Trying again in ${Math.ceil(delayMs / 1000)} s.`),
    });
    writeLine(io.stderr, `saved ${path} (${sizeWords(size)})`);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CliProblem) {
      reportProblem(io, error.message);
      return error.exitCode;
    }
    if (error instanceof DownloadError) {
      reportProblem(io, error.message);
      return error.code === 'network' ? ExitCode.unreachable : ExitCode.failure;
    }
    throw error;
  }
}

function fileUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`not a URL: ${text}`);
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    !url.pathname.startsWith('/api/files/')
  ) {
    throw new UsageError(
      'get takes the address of a file in a room: https://HOST:PORT/api/files/…',
    );
  }
  return url;
}
