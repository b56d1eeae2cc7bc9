// Child process entry: plain ws acking each turn's says once fdatasynced, after keeping the event
// loop busy for each say as long as its first argument says in ms (bench/acks.ts).
import * as v from 'valibot';
import { startPlainAckWsServer } from '../targets/plain-ack-ws';
import { runServerChild } from './server-child';

const busyMsPerSay = v.parse(
  v.pipe(v.string(), v.transform(Number), v.number(), v.minValue(0)),
  process.argv[2],
);

runServerChild(() => startPlainAckWsServer({ durable: true, busyMsPerSay }));
