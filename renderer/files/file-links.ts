/**
 * Where the page loads the files of messages from. An entry's file `url` and `thumb` are paths on
 * the room's host (`/api/files/ID/CAP/NAME`). The guest page is served by that host: the paths
 * work as they are, and its browser downloads them itself (`<a download>`). The desktop window is
 * not (it shows the app's own page and may not reach the network): it asks main for them on the
 * app's file scheme, which main answers from the room over its pinned connection, and downloads
 * go through main into the Downloads folder.
 */
import { DESKTOP_FILE_SCHEME, type ParleyBridge } from '../../protocol/bridge';
import type { FileLinks } from '../components/message-list/message-files';

export function fileLinksFor(bridge: ParleyBridge | undefined): FileLinks {
  if (bridge?.kind !== 'desktop') return { href: (path) => path, appDownloads: false };
  return {
    href: (path) => `${DESKTOP_FILE_SCHEME}://room${path.startsWith('/') ? path : `/${path}`}`,
    appDownloads: bridge.download !== undefined,
  };
}
