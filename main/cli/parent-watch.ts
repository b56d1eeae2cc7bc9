/**
 * Stops a command whose parent went away. npm (`npx parley host`) does not pass SIGTERM on to the
 * program it runs: killed, it left the host running, adopted by init, and holding its port. So a
 * command started by npm checks its parent now and then and stops, as on SIGTERM, once the parent
 * is another process. Started otherwise (systemd, a shell, `nohup … &`) it keeps running when
 * its parent ends, as programs do.
 */

export interface ParentWatchOptions {
  /** The process's environment: npm marks the programs it runs with `npm_execpath`. */
  env: Record<string, string | undefined>;
  /** How often the parent is checked. Default 1 s. */
  intervalMs?: number;
  /** The current parent's pid, for tests. Default process.ppid. */
  parentPid?: () => number;
}

/** Calls `onGone` once if the parent changes; returns a function that stops watching. */
export function watchParent(onGone: () => void, options: ParentWatchOptions): () => void {
  if (options.env.npm_execpath === undefined) return () => undefined;
  const parentPid = options.parentPid ?? (() => process.ppid);
  const parent = parentPid();
  const timer = setInterval(() => {
    if (parentPid() === parent) return;
    clearInterval(timer);
    onGone();
  }, options.intervalMs ?? 1000);
  // Never the reason the process stays alive.
  timer.unref();
  return () => clearInterval(timer);
}
