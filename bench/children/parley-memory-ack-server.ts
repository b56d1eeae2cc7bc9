// Child process entry: the Parley host with the in-memory store and no rate limit (bench/acks.ts).
import { startParleyMemoryAckServer } from '../targets/parley';
import { runServerChild } from './server-child';

runServerChild(startParleyMemoryAckServer);
