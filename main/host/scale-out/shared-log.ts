/**
 * The room's log when several hosts share it (scale-out). An append is one script in Redis
 * (scripts.ts APPEND): the exactly-once check, the conversation's next seq, the entry and its
 * event, atomically. The entry then reaches this host the way it reaches every other one, through
 * the stream (follower.ts), which stores it in the replica and shows it; the sender's `ack` goes
 * out right before that, so "acked" means "in Redis, and shown here" (a client that edits what was
 * just acked finds it). A retry of an id Redis already holds, through any host, is answered with
 * the original's ack once this host shows it.
 *
 * When Redis cannot be asked the post is refused at once with `unavailable` and nothing is
 * stored. When Redis was asked but did not answer in time, the entry may or may not be stored: the
 * client is told `unavailable`, and its retry (same id) is answered with the original ack if the
 * first one was stored after all, or stored now if not. Nothing is ever half-stored.
 */
import type { Entry, PeerV2 } from '../../../protocol/wire/entries';
import { nameKey } from '../../../protocol/wire/text';
import type { Conversation } from '../conversations';
import {
  sendAck,
  type AppendOptions,
  type AppendResult,
  type EntryDraft,
  type RoomLog,
} from '../entry-log';
import type { RoomMember } from '../people';
import type { RoomStore } from '../store/room-store';
import type { ConversationRecord } from './events';
import { describe, UnavailableError } from './redis-link';
import type { SharedRoom } from './shared-room';

interface Pending {
  /** Who gets the ack when the entry is shown here: the sender, and retries that raced it. */
  readonly ackTo: RoomMember[];
  readonly requester: RoomMember | undefined;
}

/** An ack owed once this host shows seq `seq` of `conv`. */
interface OwedAck {
  readonly member: RoomMember;
  readonly id: string;
}

const keyOf = (peerId: string, id: string) => `${peerId}\n${id}`;

export class SharedLog implements RoomLog {
  readonly sharedByHosts = true;
  readonly failed = false;
  /** Sent to Redis and not shown here yet, by (peer, id). */
  readonly #pending = new Map<string, Pending>();
  /** Acks of retries of entries stored through other hosts, by conv, then seq. */
  readonly #owed = new Map<string, Map<number, OwedAck[]>>();
  readonly #inFlight = new Set<Promise<void>>();

  constructor(
    private readonly shared: SharedRoom,
    private readonly replica: RoomStore,
    private readonly conversationOf: (id: string) => Conversation | undefined,
    private readonly problem: (why: string) => void,
  ) {}

  append(conversation: Conversation, draft: EntryDraft, options: AppendOptions = {}): AppendResult {
    if (!this.shared.isReady) return 'unavailable';
    const key = keyOf(draft.from.id, draft.id);
    const requester = options.requester ?? options.sender;
    this.#pending.set(key, { ackTo: options.sender ? [options.sender] : [], requester });
    const channel = createdChannel(conversation.id, draft);
    const sent = this.shared
      .append(conversation.id, draft, channel)
      .then(
        (result) => {
          if (result.kind === 'ok') return;
          const pending = this.#take(key);
          if (result.kind === 'dup') {
            for (const member of pending?.ackTo ?? []) this.#ackWhenShown(member, draft.id, result);
          } else if (result.kind === 'taken') {
            requester?.channel.sendError('channel_exists', undefined, draft.id);
          } else {
            this.problem(`Redis refused ${draft.kind} ${draft.id}: ${result.why}`);
            requester?.channel.sendError('bad_message', result.why, draft.id);
          }
        },
        (error: unknown) => {
          this.#take(key);
          if (!(error instanceof UnavailableError)) this.problem(`append: ${describe(error)}`);
          requester?.channel.sendError('unavailable', undefined, draft.id);
        },
      )
      .finally(() => this.#inFlight.delete(sent));
    this.#inFlight.add(sent);
    return 'appended';
  }

  acknowledgeRetry(member: RoomMember, peerId: string, id: string): boolean {
    const pending = this.#pending.get(keyOf(peerId, id));
    if (pending) {
      pending.ackTo.push(member);
      return true;
    }
    const found = this.replica.findBySayId(peerId, id);
    if (!found) return false;
    this.#ackWhenShown(member, id, found);
    return true;
  }

  /** The follower shows `entry` next: acks owed for it go out first. */
  shown(entry: Entry): void {
    const pending = this.#take(keyOf(entry.from.id, entry.id));
    for (const member of pending?.ackTo ?? []) sendAck(member, entry.id, entry.conv, entry.seq);
    const owed = this.#owed.get(entry.conv);
    const acks = owed?.get(entry.seq);
    if (!owed || !acks) return;
    owed.delete(entry.seq);
    if (owed.size === 0) this.#owed.delete(entry.conv);
    for (const { member, id } of acks) sendAck(member, id, entry.conv, entry.seq);
  }

  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #take(key: string): Pending | undefined {
    const pending = this.#pending.get(key);
    this.#pending.delete(key);
    return pending;
  }

  #ackWhenShown(member: RoomMember, id: string, where: { conv: string; seq: number }): void {
    const conversation = this.conversationOf(where.conv);
    if (conversation && where.seq <= conversation.shownSeq) {
      sendAck(member, id, where.conv, where.seq);
      return;
    }
    let owed = this.#owed.get(where.conv);
    if (!owed) this.#owed.set(where.conv, (owed = new Map()));
    const acks = owed.get(where.seq);
    if (acks) acks.push({ member, id });
    else owed.set(where.seq, [{ member, id }]);
  }
}

/** A `channel_created` draft's channel, as Redis keeps it (name held room-wide by nameKey). */
function createdChannel(
  conv: string,
  draft: EntryDraft,
): { record: ConversationRecord; nameKey: string } | undefined {
  if (draft.kind !== 'system' || draft.event !== 'channel_created' || draft.name === undefined) {
    return undefined;
  }
  const key = nameKey(draft.name);
  const creator: PeerV2 = draft.from;
  const record: ConversationRecord = {
    id: conv,
    kind: 'channel',
    name: draft.name,
    key,
    creator: creator.id,
    created: 0,
  };
  return { record, nameKey: key };
}
