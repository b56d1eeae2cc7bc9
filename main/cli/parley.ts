/** Entry point of the `parley` command (bin/parley.js runs the bundle built from this file). */
import { watchParent } from './parent-watch';
import { runParleySafely } from './run';

const stop = new AbortController();
let signals = 0;
const onSignal = () => {
  // A second Ctrl+C means "now": do not wait for a close that hangs.
  if (++signals > 1) process.exit(130);
  stop.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
watchParent(
  () => {
    process.stderr.write('parley: the program that started parley (npm) ended; stopping\n');
    stop.abort();
  },
  { env: process.env },
);

const code = await runParleySafely(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stop: stop.signal,
});

// Exit once stdout has drained: lingering sockets or timers must not keep the command alive.
process.stdout.write('', () => process.exit(code));
