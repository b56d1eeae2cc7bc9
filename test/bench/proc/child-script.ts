/** A stand-in child for the process tests: reports where it runs and obeys a few commands. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

const SOURCE = `
import { readFileSync } from 'node:fs';
const status = readFileSync('/proc/self/status', 'utf8');
const limits = readFileSync('/proc/self/limits', 'utf8');
process.send({
  type: 'hello',
  pid: process.pid,
  cpus: /Cpus_allowed_list:\\s*(\\S+)/.exec(status)[1],
  openFiles: Number(/Max open files\\s+(\\d+)/.exec(limits)[1]),
});
process.on('message', (command) => {
  if (command.type === 'bye') process.exit(0);
  if (command.type === 'junk') process.send({ nonsense: true });
  if (command.type === 'fail') process.send({ type: 'failed', message: 'asked to fail' });
  if (command.type === 'crash') process.exit(3);
  if (command.type === 'twice') {
    process.send({ type: 'tick', n: 1 });
    process.send({ type: 'tick', n: 2 });
  }
});
process.on('disconnect', () => process.exit(0));
`;

export async function writeChildScript(dir: string): Promise<string> {
  const file = path.join(dir, 'child.mjs');
  await writeFile(file, SOURCE);
  return file;
}
