// Child process entry: the Parley host with SQLite and no rate limit (bench/acks.ts).
import { startParleyAckServer } from '../targets/parley';
import { runServerChild } from './server-child';

runServerChild(startParleyAckServer);
