/**
 * Just enough of Electron's main-process API for the shell (main/app/shell/main.ts) to start
 * under Node: every call the shell makes is recorded, and the scenario (shell-scenario.ts)
 * drives the app as Electron would: ready, a window that loaded, IPC, a second instance.
 */
import { EventEmitter } from 'node:events';

export type Call = [name: string, ...args: unknown[]];

const calls: Call[] = [];
const record = (name: string, ...args: unknown[]) => void calls.push([name, ...args]);
let isReady = false;
let markReady!: () => void;
const ready = new Promise<void>((resolve) => (markReady = resolve));
const ipcHandlers = new Map<string, (event: unknown, arg: unknown) => unknown>();
const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();

class FakeApp extends EventEmitter {
  isPackaged = false;
  whenReady(): Promise<void> {
    return ready;
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  setAsDefaultProtocolClient(...args: unknown[]): boolean {
    record('setAsDefaultProtocolClient', ...args);
    return true;
  }
  getPath(): string {
    return process.env.PARLEY_FAKE_USER_DATA ?? '';
  }
  quit(): void {
    record('quit');
  }
  exit(code: number): void {
    record('exit', code);
  }
  setBadgeCount(): boolean {
    return true;
  }
}

export const app = new FakeApp();

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown): void {
    record('registerSchemesAsPrivileged', schemes, { beforeReady: !isReady });
  },
};

export const session = {
  defaultSession: {
    protocol: {
      handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
        protocolHandlers.set(scheme, handler);
      },
    },
    setPermissionRequestHandler(): void {},
    setPermissionCheckHandler(): void {},
    webRequest: { onHeadersReceived(): void {} },
  },
};

export const shell = { openExternal: async (): Promise<void> => {} };
export const dialog = { showMessageBox: async () => ({ response: 0 }) };

export const ipcMain = {
  handle(channel: string, handler: (event: unknown, arg: unknown) => unknown): void {
    ipcHandlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    ipcHandlers.delete(channel);
  },
};

let nextId = 1;

class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  send(channel: string, payload: unknown): void {
    record('send', channel, payload);
  }
  isDestroyed(): boolean {
    return false;
  }
  setWindowOpenHandler(): void {}
}

export class BrowserWindow extends EventEmitter {
  static readonly windows: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  constructor() {
    super();
    BrowserWindow.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string): Promise<void> {
    record('loadURL', url);
    return Promise.resolve();
  }
  loadFile(file: string): Promise<void> {
    record('loadFile', file);
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return false;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  show(): void {
    record('show');
  }
  focus(): void {}
  hide(): void {}
  close(): void {}
  setTitle(): void {}
}

export class Notification {
  static isSupported(): boolean {
    return false;
  }
}

export const Menu = { buildFromTemplate: () => ({}) };
export class Tray {
  setContextMenu(): void {}
  setToolTip(): void {}
  on(): void {}
  destroy(): void {}
}
export const nativeImage = { createFromBitmap: () => ({}) };

/** What the scenario drives and reads. */
export const harness = {
  calls,
  ipcHandlers,
  protocolHandlers,
  fireReady(): void {
    isReady = true;
    markReady();
  },
};
