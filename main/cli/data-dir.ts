/** Where `parley host` keeps its history unless told otherwise (XDG base directory rules). */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export function defaultDataDir(env: Record<string, string | undefined>): string {
  const xdg = env.XDG_DATA_HOME;
  // The XDG spec says to ignore a relative (or empty) XDG_DATA_HOME.
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.local', 'share');
  return join(base, 'parley', 'host');
}
