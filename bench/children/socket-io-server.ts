// Child process entry: the socket-io server under test (see bench/targets/socket-io.ts).
import { startSocketIoServer } from '../targets/socket-io';
import { runServerChild } from './server-child';

runServerChild(startSocketIoServer);
