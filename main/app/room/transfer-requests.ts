/**
 * The bridge's transfer requests (upload, download, cancelTransfer) and the saved path of a
 * finished download (for "show in folder"), answered by the transfers of the room the app is in.
 */
import type { BridgeActions } from './ipc-handlers';
import type { RoomTransfers } from './room-transfers';
import { appError } from './app-errors';
import { roomFileResponse, type FileSchemeRequest } from '../../transfers/room-file-response';

export type TransferRequests = Pick<BridgeActions, 'upload' | 'download' | 'cancelTransfer'> & {
  /** The file a finished download saved; throws a BridgeError for anything else. */
  savedPath(transferId: string): string;
  /** The window's `parley-file:` request, answered from the room (404 outside one). */
  fileResponse(request: FileSchemeRequest): Promise<Response>;
};

export function transferRequests(current: () => RoomTransfers | undefined): TransferRequests {
  function inRoom(): RoomTransfers {
    const transfers = current();
    if (!transfers) throw appError('not_in_room');
    return transfers;
  }
  return {
    upload: (request) => inRoom().upload(request),
    download: (request) => inRoom().download(request),
    cancelTransfer(transferId) {
      // Outside a room there is nothing left to cancel: the transfers stopped with it.
      current()?.cancel(transferId);
    },
    savedPath: (transferId) => inRoom().savedPath(transferId),
    fileResponse: (request) =>
      current()?.fileResponse(request) ?? roomFileResponse(request, undefined),
  };
}
