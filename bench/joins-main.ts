/**
 * `npm run bench:joins`: the joins measurement of bench/joins.ts on its own, printed as a table
 * of ratios against plain `ws` holding presence in the same run.
 *
 *   npm run bench:joins [-- --quick | --smoke] [--clients N] [--held] [--json FILE]
 *                         [--only SERVER[,SERVER]] [--deflate on|off] [--cpu-prof DIR]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { countFlag } from './cli-options';
import { JOIN_PLANS, measureJoins, renderJoinsTable } from './joins';
import { JOIN_SERVER_NAMES } from './joins-ipc';

const USAGE = `npm run bench:joins [-- OPTIONS]
  --quick             2,000 clients (default: 10,000)
  --smoke             50 clients
  --clients N         N clients
  --held              also hold as many connections as the open-file limit allows
  --only A,B          only these servers, of ${JOIN_SERVER_NAMES.join(', ')} (ratios need ws-presence)
  --deflate on|off    clients offer permessage-deflate or not (default: both, one after the other)
  --cpu-prof DIR      run the servers with node --cpu-prof, profiles into DIR
  --json FILE         the runs as JSON`;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    smoke: { type: 'boolean' },
    clients: { type: 'string' },
    held: { type: 'boolean' },
    json: { type: 'string' },
    only: { type: 'string' },
    deflate: { type: 'string' },
    'cpu-prof': { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const only = values.only?.split(',');
const unknown = only?.filter((name) => !JOIN_SERVER_NAMES.some((server) => server === name));
if (unknown && unknown.length > 0) {
  throw new Error(`--only takes a comma-separated list of ${JOIN_SERVER_NAMES.join(', ')}`);
}
const servers = JOIN_SERVER_NAMES.filter((server) => only === undefined || only.includes(server));
if (values.deflate !== undefined && values.deflate !== 'on' && values.deflate !== 'off') {
  throw new Error('--deflate takes on or off');
}
const mode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
const clients = countFlag('--clients', values.clients) ?? JOIN_PLANS[mode].clients;
const result = await measureJoins(mode, {
  clients,
  held: values.held,
  servers,
  ...(values.deflate !== undefined && { deflates: [values.deflate === 'on'] }),
  cpuProfileDir: values['cpu-prof'],
  log: (line) => console.log(line),
  started: ({ openFiles, machine }) =>
    console.log(
      `${mode} run, ${clients} clients; soft open-file limit raised to ${openFiles ?? 'unknown'} ` +
        `(the hard limit); load average ${machine.loadAverage} on ${machine.cores} cores.`,
    ),
});
console.log(renderJoinsTable(result));
if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
