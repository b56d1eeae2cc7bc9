// Child process entry: the coalesced-ws server under test (see bench/targets/coalesced-ws.ts).
import { startCoalescedWsServer } from '../targets/coalesced-ws';
import { runServerChild } from './server-child';

runServerChild(startCoalescedWsServer);
