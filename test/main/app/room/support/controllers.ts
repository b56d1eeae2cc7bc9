/**
 * Room controllers for tests, on loopback with in-memory history and a quiet advertiser, each
 * recording the RoomEvents it emits; they leave their rooms (and a data folder is removed) after
 * every test. Each controller is the app of another computer: it has a device secret of its own,
 * so two of them in one room are two people (one identity would be one person, renamed by the
 * second hello). A test of one app restarting passes `deviceSecret: undefined`: the app's own
 * identity file in the data folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import {
  RoomController,
  type RoomControllerOptions,
} from '../../../../../main/app/room/room-controller';
import { createMemoryStore } from '../../../../../main/host/store/memory-store';
import { secretBytes, newSecret } from '../../../../../protocol/client/identity-key';
import type { RoomSummary } from '../../../../../protocol/bridge';
import { quietAdvertiser } from '../../helpers/fakes';
import { recordEvents } from '../../helpers/room-events';

export interface ControllerFixture {
  /** The data folder of the running test. */
  readonly dataDir: string;
  make(options?: Partial<RoomControllerOptions>): {
    controller: RoomController;
    log: ReturnType<typeof recordEvents>;
  };
  /** A server the fixture closes after the test. */
  track(server: net.Server): void;
}

/** Registers the hooks of a test file and returns its controller factory. */
export function useControllers(): ControllerFixture {
  const controllers: RoomController[] = [];
  const servers: net.Server[] = [];
  let dataDir = '';
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-controller-'));
  });
  afterEach(async () => {
    await Promise.all(controllers.splice(0).map((controller) => controller.leave()));
    await Promise.all(
      servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
    );
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    get dataDir() {
      return dataDir;
    },
    make(options = {}) {
      const controller = new RoomController({
        dataDir,
        openStore: createMemoryStore,
        // Loopback only: the tests never listen on or connect to another interface.
        bindAddress: '127.0.0.1',
        sessionOptions: { backoff: { initialMs: 50, maxMs: 200 } },
        // Advertising has its own tests (host-advert.test.ts), on a loopback mDNS port of their own.
        advertiseRoom: quietAdvertiser(),
        log: () => undefined,
        deviceSecret: aDeviceOfItsOwn(),
        ...options,
      });
      controllers.push(controller);
      return { controller, log: recordEvents(controller) };
    },
    track(server) {
      servers.push(server);
    },
  };
}

/** The device secret of another computer: a controller given it is a person of its own. */
export function aDeviceOfItsOwn(): () => Promise<Uint8Array> {
  const secret = secretBytes(newSecret())!;
  return async () => secret;
}

/** The invite a hosted room hands out: joining by it pins the host's certificate at once. */
export function inviteOf(summary: RoomSummary): string {
  return summary.invites?.[0]?.invite ?? '';
}

/** A local port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A server that accepts TCP connections and never answers them. */
export async function silentServer(fixture: ControllerFixture): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  const originalClose = server.close.bind(server);
  server.close = (callback) => {
    sockets.forEach((socket) => socket.destroy());
    return originalClose(callback);
  };
  fixture.track(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}
