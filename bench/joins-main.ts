/**
 * `npm run bench:joins`: the joins measurement of bench/joins.ts on its own, printed as a table
 * of ratios against plain `ws` holding presence in the same run.
 *
 *   npm run bench:joins [-- --quick | --smoke] [--clients N] [--held] [--json FILE]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { JOIN_PLANS, measureJoins, renderJoinsTable } from './joins';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    smoke: { type: 'boolean' },
    clients: { type: 'string' },
    held: { type: 'boolean' },
    json: { type: 'string' },
  },
});
const mode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
const clients = values.clients ? Number(values.clients) : JOIN_PLANS[mode].clients;
if (!Number.isSafeInteger(clients) || clients < 1) throw new Error('--clients needs a count');
const result = await measureJoins(mode, {
  clients,
  held: values.held,
  log: (line) => console.log(line),
  started: ({ openFiles, machine }) =>
    console.log(
      `${mode} run, ${clients} clients; soft open-file limit raised to ${openFiles ?? 'unknown'} ` +
        `(the hard limit); load average ${machine.loadAverage} on ${machine.cores} cores.`,
    ),
});
console.log(renderJoinsTable(result));
if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
