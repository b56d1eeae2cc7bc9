/**
 * The end state every "break the host mid-stream" scenario must reach: the history on disk is
 * one complete stream, every client delivered exactly that stream, every posted message is in it
 * once, and every client stayed the same peer in the same room through every reconnect.
 */
import { expect } from 'vitest';
import type { ChatClient } from './chat-client';
import type { StoredHistory } from './stored-history';
import { expectEveryoneAgrees, expectPostedOnce } from './stream-checks';

export const ackCount = (clients: readonly ChatClient[]): number =>
  clients.reduce((sum, client) => sum + client.acks.length, 0);

export function expectStreamOutcome(
  stored: StoredHistory,
  clients: readonly ChatClient[],
  perClient: number,
): void {
  const roomId = clients[0]?.welcomes[0]?.roomId;
  expect(stored.room.id).toBe(roomId);
  expect(stored.messages).toHaveLength(clients.length * perClient);
  expectEveryoneAgrees(clients, stored.messages);
  for (const client of clients) {
    expect(expectPostedOnce(client, stored.messages), client.name).toBe(perClient);
    expect(client.failed(), client.name).toEqual([]);
    expect(new Set(client.welcomes.map(({ roomId: id }) => id)), client.name).toEqual(
      new Set([roomId]),
    );
    // Every reconnect resumed: the same peer, so its say ids kept naming the same messages.
    expect(new Set(client.welcomes.map(({ selfId }) => selfId)).size, client.name).toBe(1);
    expect(client.roomChanges + client.gaps, client.name).toBe(0);
    expect(client.endedBy, client.name).toBeUndefined();
  }
}
