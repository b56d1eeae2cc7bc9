/**
 * The desktop bridge: window.parley, exposed by the Electron preload (main/app/shell/preload.ts) over
 * IPC to the main process. Absent in a browser, where the guest page uses the browser bridge.
 */
import type { ParleyBridge } from '../../protocol/bridge';

declare global {
  interface Window {
    /** Set by the desktop app's preload; undefined in a browser. */
    readonly parley?: ParleyBridge;
  }
}

/** The desktop app's bridge, or undefined when the page is not running inside Parley desktop. */
export function desktopBridge(): ParleyBridge | undefined {
  const bridge = window.parley;
  return bridge?.kind === 'desktop' ? bridge : undefined;
}
