/**
 * Who talks where in the conversations case (parley.v2): clients 0..9 each create one channel,
 * every client is a member of channel `index % 10`, and the clients after the founders pair up
 * (10 with 11, 12 with 13, ...) in a direct conversation. Every fifth message a paired sender
 * sends goes to its direct conversation, the rest to its channel. A pure function of the client
 * count, so the orchestrator (rates) and the generator (routes, expected deliveries) agree.
 */

export const MAX_CHANNELS = 10;
/** One message in this many goes to the sender's direct conversation, when it has one. */
export const DIRECT_EVERY = 5;

export interface ConversationLayout {
  clients: number;
  channels: number;
}

export function conversationLayout(clients: number): ConversationLayout {
  return { clients, channels: Math.max(1, Math.min(MAX_CHANNELS, clients)) };
}

export function channelOf(layout: ConversationLayout, index: number): number {
  return index % layout.channels;
}

export function isFounder(layout: ConversationLayout, index: number): boolean {
  return index < layout.channels;
}

/** The other member of the client's direct conversation, or -1. */
export function partnerOf(layout: ConversationLayout, index: number): number {
  if (isFounder(layout, index)) return -1;
  const offset = index - layout.channels;
  const partner = offset % 2 === 0 ? index + 1 : index - 1;
  return partner < layout.clients ? partner : -1;
}

/**
 * The connection wave a client joins in: founders first (they create the channels), then the
 * first of each pair, then the second, who opens the direct conversation with a partner already
 * present (a host refuses `open_direct` to an identity it has never seen).
 */
export function waveOf(layout: ConversationLayout, index: number): number {
  if (isFounder(layout, index)) return 0;
  return (index - layout.channels) % 2 === 0 ? 1 : 2;
}

export function opensDirect(layout: ConversationLayout, index: number): boolean {
  return waveOf(layout, index) === 2 && partnerOf(layout, index) >= 0;
}

export function goesDirect(layout: ConversationLayout, sender: number, message: number): boolean {
  return message % DIRECT_EVERY === 0 && partnerOf(layout, sender) >= 0;
}

/**
 * Deliveries per message on average when senders are spread evenly: what makes a rate here
 * comparable with a rate in `general`, where every message reaches every client.
 */
export function meanReceivers(layout: ConversationLayout): number {
  const { clients, channels } = layout;
  const paired = Array.from({ length: clients }, (_, index) => index).filter(
    (index) => partnerOf(layout, index) >= 0,
  ).length;
  const pairedShare = paired / clients;
  const directShare = pairedShare / DIRECT_EVERY;
  return directShare * 2 + (1 - directShare) * (clients / channels);
}
