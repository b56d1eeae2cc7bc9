/**
 * Runs the Electron shell (main/app/shell/main.ts) under Node against fake-electron.ts, the way
 * Electron would: started by a `parley://` link, the app gets ready, its window loads and shows
 * the join screen, then a link is clicked while it runs (a second instance hands over its
 * command line). Prints one JSON line: what the shell did, and what the window was sent.
 * Bundled by shell.test.ts with `electron` pointing at fake-electron.ts.
 */
import { ROOM_EVENT_CHANNEL } from '../../../../../protocol/bridge';
import { RENDERER_URL } from '../../../../../main/app/renderer-scheme/renderer-scheme';
import { BrowserWindow, app, harness } from './fake-electron';

const SECOND_INVITE = 'parley://10.0.0.8:7420/?room=second';
const STEP_MS = 10_000;

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + STEP_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const invitesSent = () =>
  harness.calls
    .filter(([name, channel]) => name === 'send' && channel === ROOM_EVENT_CHANNEL)
    .map(([, , event]) => event as { type: string; invite?: string })
    .filter((event) => event.type === 'invite');

async function scenario() {
  await import('../../../../../main/app/shell/main');
  const beforeReady = invitesSent().length;
  harness.fireReady();
  await until(() => harness.calls.some(([name]) => name === 'loadURL'), 'the window to load');
  const window = BrowserWindow.windows[0]!;
  // The page's start screen shows and starts looking for rooms: the join screen is there.
  const trustedEvent = {
    sender: { id: window.webContents.id },
    senderFrame: { url: RENDERER_URL, parent: null },
  };
  const startDiscovery = harness.ipcHandlers.get('parley:start-discovery')!;
  const started = await startDiscovery(trustedEvent, undefined);
  await until(() => invitesSent().length >= 1, 'the invite the app was started with');
  app.emit('second-instance', {}, ['/opt/Parley/parley', '--flag', SECOND_INVITE], '/', {});
  await until(() => invitesSent().length >= 2, 'the invite of the second instance');
  const handler = harness.protocolHandlers.get('parley-app')!;
  const page = await handler(new Request(RENDERER_URL));
  return {
    beforeReady,
    started,
    calls: harness.calls.filter(([name]) =>
      ['registerSchemesAsPrivileged', 'setAsDefaultProtocolClient', 'loadURL', 'loadFile'].includes(
        name,
      ),
    ),
    invites: invitesSent().map((event) => event.invite),
    page: { status: page.status, csp: page.headers.get('content-security-policy') },
  };
}

scenario().then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
    process.exit(1);
  },
);
