// Child process entry: plain ws holding presence (bench/targets/presence-ws.ts).
import { startPresenceWsServer } from '../targets/presence-ws';
import { runServerChild } from './server-child';

runServerChild(startPresenceWsServer);
