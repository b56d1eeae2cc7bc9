/**
 * The shared wait helpers under their old path, only for test files another engineer is changing
 * right now (test/main/cli/host-command.test.ts, host-discovery.test.ts,
 * test/main/discovery/host-advert.test.ts). Import test/support/wait and session-events instead;
 * delete this file once those three do.
 */
export { until, withTimeout } from '../../support/wait';
export { collectMessages, nextEvent } from '../../support/session-events';
