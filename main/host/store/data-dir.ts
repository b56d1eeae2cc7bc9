/**
 * Where `parley host` keeps its room history when not told otherwise, following the XDG Base
 * Directory rules: `$XDG_DATA_HOME/parley/host`, or `~/.local/share/parley/host`.
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * The default data directory. XDG says a relative or empty `XDG_DATA_HOME` is invalid and must be
 * ignored, so only an absolute one is honoured.
 */
export function defaultDataDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  home: string = homedir(),
): string {
  const xdgDataHome = env.XDG_DATA_HOME;
  const base = xdgDataHome && isAbsolute(xdgDataHome) ? xdgDataHome : join(home, '.local', 'share');
  return join(base, 'parley', 'host');
}
