import { vi } from 'vitest';

/**
 * Browser tests wait on real pages, sockets and processes on a shared two-core machine: a poll
 * gets ten seconds (not vitest's one) before it counts as failed. Call in beforeAll.
 */
export function usePatientPolls(timeoutMs = 10_000): void {
  vi.setConfig({ expect: { poll: { timeout: timeoutMs, interval: 50 } } });
}
