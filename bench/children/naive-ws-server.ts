// Child process entry: the naive-ws server under test (see bench/targets/naive-ws.ts).
import { startNaiveWsServer } from '../targets/naive-ws';
import { runServerChild } from './server-child';

runServerChild(startNaiveWsServer);
