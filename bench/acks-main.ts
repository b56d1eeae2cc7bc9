/**
 * `npm run bench:acks`: the durable-ack measurement of bench/acks.ts on its own, printed as a
 * table of ratios against the disk, the plain `ws` floors and the memory store from the same run.
 *
 *   npm run bench:acks [-- --quick | --smoke] [--steady-rate MSG_PER_S] [--json FILE]
 *                      [--cpu-prof DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ACK_PLANS, measureAcks } from './acks';
import { renderAckTable } from './report/acks-table';
import { countFlag } from './cli-options';

const USAGE = `npm run bench:acks [-- OPTIONS]
  --quick             shorter windows (default: ${ACK_PLANS.full.windowMs / 1000} s each)
  --smoke             the smallest run (${ACK_PLANS.smoke.senders} senders; used by the tests)
  --steady-rate N     the steady case's rate, msg/s in all (default: ${ACK_PLANS.full.steadyPerSecond})
  --cpu-prof DIR      run the hosts with node --cpu-prof, profiles into DIR
  --json FILE         the result as JSON`;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    smoke: { type: 'boolean' },
    json: { type: 'string' },
    'cpu-prof': { type: 'string' },
    'steady-rate': { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const mode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
const cpuProfileDir = values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined;
if (cpuProfileDir) mkdirSync(cpuProfileDir, { recursive: true });
let steadyPerSecond: number | undefined;
try {
  steadyPerSecond = countFlag('--steady-rate', values['steady-rate']);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
const result = await measureAcks(mode, { cpuProfileDir, steadyPerSecond });
console.log(renderAckTable(result));
console.log(
  `${mode} run, ${result.senders} senders in the many-senders cases; load average ` +
    `${result.machine.loadAverage} on ${result.machine.cores} cores when it started.`,
);
if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
