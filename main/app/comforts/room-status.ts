/**
 * What the desktop comforts (title, badge, notifications, tray) need to know about the room the
 * app is in, kept current from the RoomEvent stream alone.
 */
import type { RoomEvent } from '../../../protocol/bridge';
import type { Peer } from '../../../protocol/wire/frames';

export interface RoomStatusView {
  /** Undefined outside a room. */
  roomId: string | undefined;
  roomName: string | undefined;
  self: Peer | undefined;
  peers: Peer[];
  hosting: boolean;
  /** The room's newest seq when the app entered it: messages up to it are history. */
  enteredAtSeq: number;
}

const OUTSIDE: RoomStatusView = Object.freeze({
  roomId: undefined,
  roomName: undefined,
  self: undefined,
  peers: [],
  hosting: false,
  enteredAtSeq: 0,
});

export class RoomStatus {
  #view: RoomStatusView = OUTSIDE;

  get view(): RoomStatusView {
    return this.#view;
  }

  /** Takes one event; returns true when it put the app in a different room (or out of one). */
  apply(event: RoomEvent): boolean {
    const view = this.#view;
    switch (event.type) {
      case 'summary': {
        const { room, self, peers, hosting, lastSeq } = event.summary;
        const entered = room.id !== view.roomId;
        this.#view = {
          roomId: room.id,
          roomName: room.name,
          self,
          peers,
          hosting,
          enteredAtSeq: entered ? (lastSeq ?? 0) : view.enteredAtSeq,
        };
        return entered;
      }
      case 'peers':
        this.#view = { ...view, peers: event.peers };
        return false;
      case 'joined':
        if (!view.peers.some((peer) => peer.id === event.peer.id)) {
          this.#view = { ...view, peers: [...view.peers, event.peer] };
        }
        return false;
      case 'left':
        this.#view = { ...view, peers: view.peers.filter((peer) => peer.id !== event.peer.id) };
        return false;
      case 'roomChanged':
        // Seqs start over in the other room: nothing of it has been seen yet.
        this.#view = {
          ...view,
          roomId: event.current.id,
          roomName: event.current.name,
          enteredAtSeq: 0,
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
