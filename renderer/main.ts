/**
 * Entry point of the UI, in the Electron window and in a guest's browser alike. The desktop
 * preload provides `window.parley`; without it this page was served by a host to a guest, and
 * talks to that host over a WebSocket.
 */
import type { ParleyBridge } from '../protocol/bridge';
import { createBrowserBridge } from './bridges/browser-bridge';
import type { StorageLike } from './bridges/browser-storage';
import { desktopBridge } from './bridges/desktop-bridge';
import './components/parley-app/parley-app';
import './theme.css';

function guestBridge(): ParleyBridge {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return createBrowserBridge({
    url: `${scheme}://${location.host}/ws`,
    WebSocket: WebSocket,
    preferences: storageOrUndefined(() => localStorage),
    sessions: storageOrUndefined(() => sessionStorage),
    openWindow: (url) => {
      window.open(url, '_blank', 'noopener,noreferrer');
    },
  });
}

/** Touching Web Storage throws in some privacy modes; the page then just remembers nothing. */
function storageOrUndefined(get: () => StorageLike): StorageLike | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

const bridge = desktopBridge() ?? guestBridge();
const app = document.createElement('parley-app');
app.bridge = bridge;
app.pageHost = bridge.kind === 'browser' ? location.host : '';
document.body.append(app);
