// Child process entry: plain ws acking each turn's says once fdatasynced (bench/acks.ts).
import { startPlainAckWsServer } from '../targets/plain-ack-ws';
import { runServerChild } from './server-child';

runServerChild(() => startPlainAckWsServer({ durable: true }));
