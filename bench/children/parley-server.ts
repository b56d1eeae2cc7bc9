// Child process entry: the Parley host under test (see bench/targets/parley.ts).
import { startParleyServer } from '../targets/parley';
import { runServerChild } from './server-child';

runServerChild(startParleyServer);
