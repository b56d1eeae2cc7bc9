/**
 * The browser guest's uploads under Node: the File objects the page hands to upload() go up
 * with tus to the host that served the page (a scripted host passing /api/files on to a tus
 * endpoint built like the host's), with the session's token; then the session posts one `say`
 * carrying their ids under the send's id. Transfers reach the page as `transfer` events.
 * (tus-js-client's Node build reads Buffers, not Files: the test gives it a reader of Blobs.)
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { UploadOptions } from 'tus-js-client';
import type { ParleyBridge, RoomEvent } from '../../../protocol/bridge';
import { createBrowserBridge } from '../../../renderer/bridges/browser-bridge';
import { memoryStorage } from '../helpers/memory-storage';
import {
  startScriptedHost,
  welcome,
  type ScriptedHost,
} from '../../protocol/client/support/scripted-host';
import { startTusHost, type TusHost } from '../../protocol/client/support/tus-host';
import { until } from '../../support/wait';

/** tus's file reader for Blobs under Node: slices become Buffers. */
const blobReader: UploadOptions['fileReader'] = {
  openFile: async (input: Blob) => ({
    size: input.size,
    slice: async (start: number, end: number) => {
      const stop = Math.min(end, input.size);
      const value = Buffer.from(await input.slice(start, stop).arrayBuffer());
      // tus reads a slice's length from its `size`, as a Blob has it.
      return { value: Object.assign(value, { size: value.length }), done: stop >= input.size };
    },
    close: () => undefined,
  }),
};

let tus: TusHost;
let host: ScriptedHost;
let bridge: ParleyBridge | undefined;

beforeEach(async () => {
  tus = await startTusHost();
  host = await startScriptedHost({ http: (request, response) => tus.handle(request, response) });
});
afterEach(async () => {
  await bridge?.leave();
  bridge = undefined;
  await host.close();
  await tus.close();
});

describe('browser bridge: uploads', () => {
  it('uploads the files, then posts one say carrying them under the send id', async () => {
    const created = createBrowserBridge({
      url: host.url,
      WebSocket,
      preferences: memoryStorage(),
      sessions: memoryStorage(),
      tus: { fileReader: blobReader, fingerprint: async () => '' },
    });
    bridge = created;
    const events: RoomEvent[] = [];
    created.subscribe((event) => events.push(event));
    const joining = created.join({ address: 'ignored', name: 'alice' });
    const connection = await host.nextConnection();
    await connection.next('hello');
    connection.send(welcome());
    await joining;

    const photo = new File([new Uint8Array(70_000).fill(7)], 'photo.png');
    const notes = new File(['some notes'], 'notes.txt');
    const started = await created.upload({
      conv: 'general',
      text: 'two files',
      files: [photo, notes],
    });
    const say = await connection.next('say');
    const sha = async (file: File) =>
      createHash('sha256')
        .update(Buffer.from(await file.arrayBuffer()))
        .digest('hex');
    expect(say).toMatchObject({
      id: started.message,
      conv: 'general',
      text: 'two files',
      files: [await sha(photo), await sha(notes)],
    });
    await until(
      () =>
        started.transfers.every((id) =>
          events.some(
            (event) =>
              event.type === 'transfer' &&
              event.transfer.id === id &&
              event.transfer.state === 'done',
          ),
        ),
      5000,
      'both transfers done',
    );
  });

  it('refuses what is not a list of files, and uploads outside a room', async () => {
    const created = createBrowserBridge({ url: host.url, WebSocket });
    bridge = created;
    await expect(
      created.upload({ conv: 'general', files: ['not a file'] as unknown as File[] }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    await expect(
      created.upload({ conv: 'general', files: [new File(['x'], 'x.txt')] }),
    ).rejects.toMatchObject({ code: 'not_connected' });
    await expect(created.cancelTransfer('unknown')).resolves.toBeUndefined();
  });
});
