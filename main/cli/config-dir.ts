/** Where the terminal client keeps what it remembers about rooms (XDG base directory rules). */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export function defaultConfigDir(env: Record<string, string | undefined>): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec says to ignore a relative (or empty) XDG_CONFIG_HOME.
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.config');
  return join(base, 'parley');
}

/** The fingerprints of rooms joined before (trust on first use, like SSH's known_hosts). */
export function knownRoomsFile(env: Record<string, string | undefined>): string {
  return join(defaultConfigDir(env), 'known-rooms.json');
}

/** The unfinished uploads of /send and `parley send`, so a later run continues them. */
export function uploadsFile(env: Record<string, string | undefined>): string {
  return join(defaultConfigDir(env), 'uploads.json');
}
