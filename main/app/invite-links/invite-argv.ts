/**
 * Finding a `parley://` invite in what the operating system hands the app when someone clicks an
 * invite link or scans its QR code on this machine: a URL (macOS `open-url`), or a command line
 * (Windows and Linux start the app, or a second instance of it, with the URL as an argument).
 *
 * Only a whole argument that is a valid invite counts (protocol/client/invite.ts), never a switch
 * or the app's own path; what is found is rebuilt in canonical form. An invite only ever fills
 * the join form: joining stays the person's decision.
 */
import path from 'node:path';
import { INVITE_SCHEME, buildInvite, parseInvite } from '../../../protocol/client/invite';

/** The invite a `parley://` URL carries, canonical, or undefined when it is not a valid one. */
export function inviteFromUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const text = url.trim();
  if (!text.toLowerCase().startsWith(`${INVITE_SCHEME}://`)) return undefined;
  const parsed = parseInvite(text);
  if (!parsed.ok) return undefined;
  const { host, port, fingerprint, roomId } = parsed.invite;
  return buildInvite({
    host,
    port,
    ...(fingerprint !== undefined && { fingerprint }),
    ...(roomId !== undefined && { roomId }),
  });
}

/** The first invite among command-line arguments (this instance's or a second one's). */
export function inviteFromArgv(argv: readonly unknown[]): string | undefined {
  for (const argument of argv) {
    const invite = inviteFromUrl(argument);
    if (invite !== undefined) return invite;
  }
  return undefined;
}

export interface ProtocolClientInput {
  /** Electron's `process.defaultApp`: true when run as `electron path/to/app` (development). */
  defaultApp: boolean;
  execPath: string;
  argv: readonly string[];
  cwd: string;
}

/**
 * The arguments for `app.setAsDefaultProtocolClient`: the scheme alone for the packaged app;
 * in development the OS must start Electron with the app's folder, so both are named.
 */
export function protocolClientArguments(input: ProtocolClientInput): {
  scheme: string;
  executable?: string;
  args?: string[];
} {
  const appPath = input.argv[1];
  if (!input.defaultApp || appPath === undefined) return { scheme: INVITE_SCHEME };
  return {
    scheme: INVITE_SCHEME,
    executable: input.execPath,
    args: [path.resolve(input.cwd, appPath)],
  };
}
