/**
 * What the desktop comforts (title, badge, notifications, tray) need to know about the room the
 * app is in, kept current from the RoomEvent stream alone.
 */
import type { ConversationView, RoomEvent } from '../../../protocol/bridge';
import type { PeerV2 } from '../../../protocol/wire/entries';

export interface RoomStatusView {
  /** Undefined outside a room. */
  roomId: string | undefined;
  roomName: string | undefined;
  self: PeerV2 | undefined;
  peers: PeerV2[];
  /** How many people the room has in all (more than `peers` in a very large room). */
  peerCount: number;
  hosting: boolean;
  /** Every channel and the person's direct conversations, with their unread counts. */
  conversations: ConversationView[];
}

const OUTSIDE: RoomStatusView = Object.freeze({
  roomId: undefined,
  roomName: undefined,
  self: undefined,
  peers: [],
  peerCount: 0,
  hosting: false,
  conversations: [],
});

export class RoomStatus {
  #view: RoomStatusView = OUTSIDE;

  get view(): RoomStatusView {
    return this.#view;
  }

  /** The conversation `conv`, when the room has told of it. */
  conversation(conv: string): ConversationView | undefined {
    return this.#view.conversations.find((view) => view.id === conv);
  }

  /** Takes one event; returns true when it put the app in a different room (or out of one). */
  apply(event: RoomEvent): boolean {
    const view = this.#view;
    switch (event.type) {
      case 'summary': {
        const { room, self, peers, peerCount, hosting, conversations } = event.summary;
        this.#view = {
          roomId: room.id,
          roomName: room.name,
          self,
          peers,
          peerCount,
          hosting,
          conversations,
        };
        return room.id !== view.roomId;
      }
      case 'conversations':
        this.#view = { ...view, conversations: event.conversations };
        return false;
      case 'peers':
        // The list changed by someone arriving or leaving; a very large room has more people.
        this.#view = {
          ...view,
          peers: event.peers,
          peerCount: Math.max(
            event.peers.length,
            view.peerCount - view.peers.length + event.peers.length,
          ),
        };
        return false;
      case 'joined':
        if (!view.peers.some((peer) => peer.id === event.peer.id)) {
          this.#view = {
            ...view,
            peers: [...view.peers, event.peer],
            peerCount: view.peerCount + 1,
          };
        }
        return false;
      case 'left':
        if (view.peers.some((peer) => peer.id === event.peer.id)) {
          this.#view = {
            ...view,
            peers: view.peers.filter((peer) => peer.id !== event.peer.id),
            peerCount: Math.max(0, view.peerCount - 1),
          };
        }
        return false;
      case 'roomChanged':
        // Another room: none of the old one's conversations or counts apply.
        this.#view = {
          ...view,
          roomId: event.current.id,
          roomName: event.current.name,
          conversations: [],
        };
        return true;
      case 'ended':
        this.#view = OUTSIDE;
        return view.roomId !== undefined;
      default:
        return false;
    }
  }
}
