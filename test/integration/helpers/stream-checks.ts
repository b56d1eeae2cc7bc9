/**
 * The promises of docs/protocol.md ("Guarantees") as assertions over what clients delivered and what
 * the host stored: seqs 1..N without gaps, every message once, the same stream for everyone, and
 * every acknowledged message present with the seq its ack named.
 */
import { expect } from 'vitest';
import type { ChatMessage } from '../../../protocol/wire/frames';
import type { ChatClient } from './chat-client';

/** What identifies a message on the wire; `ts` and names are left out on purpose. */
export function streamKey(messages: readonly ChatMessage[]) {
  return messages.map(({ seq, id, from, text }) => ({ seq, id, from: from.id, text }));
}

/** Seqs are exactly 1..N in order, and no (sender, say id) pair or text occurs twice. */
export function expectCompleteStream(messages: readonly ChatMessage[], what: string): void {
  expect(
    messages.map(({ seq }) => seq),
    `${what}: seqs`,
  ).toEqual(messages.map((_, index) => index + 1));
  const sayKeys = messages.map(({ from, id }) => `${from.id}/${id}`);
  expect(new Set(sayKeys).size, `${what}: a (sender, say id) delivered twice`).toBe(sayKeys.length);
  const texts = messages.map(({ text }) => text);
  expect(new Set(texts).size, `${what}: a text delivered twice`).toBe(texts.length);
}

/** Every ack a client got names the seq its message really has in `messages`. */
export function expectAcksHonoured(client: ChatClient, messages: readonly ChatMessage[]): void {
  const bySeq = new Map(messages.map((message) => [message.seq, message]));
  for (const { id, seq } of client.acks) {
    const stored = bySeq.get(seq);
    expect(stored?.id, `${client.name}'s ack ${id} -> seq ${seq}`).toBe(id);
  }
}

/**
 * Every client delivered the same complete stream, equal to `reference` (the host's history),
 * and every acknowledged message is in it.
 */
export function expectEveryoneAgrees(
  clients: readonly ChatClient[],
  reference: readonly ChatMessage[],
): void {
  expectCompleteStream(reference, 'stored history');
  for (const client of clients) {
    expectCompleteStream(client.received, client.name);
    expect(streamKey(client.received), `${client.name}'s stream`).toEqual(streamKey(reference));
    expectAcksHonoured(client, reference);
  }
}

/** Each posted message is in `messages` exactly once; returns how many were found. */
export function expectPostedOnce(client: ChatClient, messages: readonly ChatMessage[]): number {
  const ids = new Set(client.posted);
  const found = messages.filter(({ id }) => ids.has(id)).map(({ id }) => id);
  expect(new Set(found).size, `${client.name}: a posted message stored twice`).toBe(found.length);
  return found.length;
}
