/**
 * `parley host` as a real child process on 127.0.0.1 (spawned by test/support/parley-process.ts),
 * resolved once it listens, with the port and invite its banner printed.
 */
import { spawnParley, type Exit, type ParleyProcess } from '../../support/parley-process';

export interface CliHost {
  readonly process: ParleyProcess;
  readonly port: number;
  readonly pid: number;
  readonly url: string;
  /** `ADDRESS` as `parley join` takes it. */
  readonly address: string;
  /** The invite the banner prints (it pins the host's certificate), if it printed one. */
  readonly invite: string | undefined;
  /** Sends `signal` and waits for the exit. */
  stop(signal: 'SIGKILL' | 'SIGTERM', ms?: number): Promise<Exit>;
}

export interface CliHostOptions {
  /** The history (and the host's certificate); also the process's home directory. */
  dataDir: string;
  /** 0 (the default) picks a free port; a restart passes the port it had. */
  port?: number;
  /** Extra flags, e.g. limits: ['--heartbeat-interval-ms', '500']. */
  flags?: string[];
  /** Flags for node itself (see SpawnParleyOptions). */
  nodeFlags?: readonly string[];
}

const PORT_LINE = /open on port (\d+)\./;
const INVITE_LINE = /invite: (parley:\/\/\S+)/;
/** The banner's last line: once it is out, the host listens and prints only presence. */
const READY_LINE = /Press Ctrl\+C/;

/**
 * `parley host` on 127.0.0.1 with its history in `dataDir`; resolves once it listens. Not
 * advertised (--no-discovery): a test must not multicast on the machine's network.
 */
export async function startCliHost(options: CliHostOptions): Promise<CliHost> {
  const args = ['host', '--port', String(options.port ?? 0), '--bind', '127.0.0.1'];
  args.push('--no-discovery');
  const child = spawnParley([...args, '--data', options.dataDir, ...(options.flags ?? [])], {
    home: options.dataDir,
    nodeFlags: options.nodeFlags ?? [],
  });
  const started = Promise.race([
    child.waitForOutput(READY_LINE),
    child.exited.then((exit) => {
      throw new Error(`parley host exited early (${JSON.stringify(exit)}): ${child.stderr()}`);
    }),
  ]);
  await started;
  const [, printed] = child.stdout().match(PORT_LINE) ?? [];
  const port = Number(printed);
  if (!Number.isInteger(port) || port <= 0) {
    throw new Error(`parley host printed no port: ${JSON.stringify(child.stdout())}`);
  }
  return {
    process: child,
    port,
    pid: child.pid,
    url: `ws://127.0.0.1:${port}/ws`,
    address: `127.0.0.1:${port}`,
    invite: child.stdout().match(INVITE_LINE)?.[1],
    stop(signal, ms = 15_000) {
      child.child.kill(signal);
      return child.waitForExit(ms);
    },
  };
}
