/**
 * Rich messages in the client session, against a scripted host: edits, deletions and reactions
 * go through the outbox with their ids (exactly once, acked `{id, conv, seq}`), replies and files
 * ride on `say`, searches are answered by `search_results` with the same words, and mutes are a
 * setting of the client kept per room.
 */
import { describe, expect, it } from 'vitest';
import { RequestError } from '../../../protocol/client/client-session';
import type { MuteStore } from '../../../protocol/client/client-types';
import {
  ALICE,
  BOB,
  SCRIPTED_ROOM,
  catchup,
  message,
  text,
  welcome,
} from './support/scripted-host';
import { useScriptedRoom } from './support/scripted-session';
import { nextEvent } from '../../support/session-events';
import { until, withTimeout } from '../../support/wait';

const room = useScriptedRoom();

function ids(...names: string[]) {
  return () => names.shift() ?? 'spare';
}

describe('ClientSession v2: edits, deletions and reactions', () => {
  it('sends each as its frame, lists it among the changes until acked, then settles it', async () => {
    const { session, connection } = await room.joined({ createId: ids('e1', 'd1', 'r1') });
    connection.send(catchup('general', [text(1, 'helo', { from: ALICE })]));
    const outboxes: unknown[] = [];
    session.on('outbox', (_messages, changes) => outboxes.push(changes));

    expect(session.edit('general', 1, 'hello')).toEqual({
      kind: 'edit',
      id: 'e1',
      conv: 'general',
      target: 1,
      text: 'hello',
      state: 'pending',
    });
    session.deleteMessage('general', 1);
    session.react('general', 1, '👍', true);
    expect(await connection.next('edit')).toEqual({
      type: 'edit',
      id: 'e1',
      conv: 'general',
      target: 1,
      text: 'hello',
    });
    expect(await connection.next('delete')).toEqual({
      type: 'delete',
      id: 'd1',
      conv: 'general',
      target: 1,
    });
    expect(await connection.next('react')).toEqual({
      type: 'react',
      id: 'r1',
      conv: 'general',
      target: 1,
      emoji: '👍',
      on: true,
    });
    expect(session.changes.map((change) => change.id)).toEqual(['e1', 'd1', 'r1']);
    expect(session.outbox).toEqual([]);

    connection.send({ type: 'ack', id: 'e1', conv: 'general', seq: 2 });
    connection.send({ type: 'ack', id: 'd1', conv: 'general', seq: 3 });
    connection.send({ type: 'ack', id: 'r1', conv: 'general', seq: 4 });
    await withTimeout(session.whenSettled(), 2000, 'whenSettled');
    expect(session.changes).toEqual([]);
    expect(outboxes.at(-1)).toEqual([]);
  });

  it('re-sends an unacknowledged edit with its id after reconnecting, and settles it by its echo', async () => {
    const { session, connection } = await room.joined({ createId: ids('edit-1') });
    connection.send(catchup('general', [text(1, 'helo', { from: ALICE })]));
    session.edit('general', 1, 'hello');
    await connection.next('edit');
    connection.socket.terminate();

    const second = await room.host.nextConnection();
    await second.next('hello');
    second.send(welcome({ conversations: [{ ...welcome().conversations[0]!, lastSeq: 2 }] }));
    expect(await second.next('edit')).toMatchObject({ id: 'edit-1', target: 1 });
    // The host stored it before the cut; its catchup shows it, which settles it without an ack.
    second.send(
      catchup('general', [
        {
          seq: 2,
          conv: 'general',
          id: 'edit-1',
          from: ALICE,
          ts: 1_700_000_000_002,
          kind: 'edit',
          target: 1,
          text: 'hello',
        },
      ]),
    );
    await until(() => session.changes.length === 0, 2000, 'the edit settled by its echo');
  });

  it('marks a refused change failed with the host code, and retry sends it again with its id', async () => {
    const { session, connection } = await room.joined({ createId: ids('not-mine') });
    session.edit('general', 7, 'mine now');
    await connection.next('edit');
    connection.send({
      type: 'error',
      code: 'not_allowed',
      message: 'only the author edits',
      ref: 'not-mine',
    });
    await until(() => session.changes[0]?.state === 'failed', 2000, 'the edit failed');
    expect(session.changes[0]).toMatchObject({ kind: 'edit', error: 'not_allowed' });
    expect(session.retry('not-mine')).toBe(true);
    expect(await connection.next('edit')).toMatchObject({ id: 'not-mine' });
  });

  it('refuses arguments outside the protocol before queueing anything', async () => {
    const { session } = await room.joined();
    expect(() => session.edit('general', 0, 'x')).toThrow();
    expect(() => session.react('general', 1, '', true)).toThrow();
    expect(() => session.deleteMessage('', 1)).toThrow();
    expect(session.changes).toEqual([]);
  });
});

describe('ClientSession v2: replies and files ride on say', () => {
  it('sends replyTo and file ids, under an id the caller chose', async () => {
    const { session, connection } = await room.joined();
    const sent = session.send(
      { conv: 'general', text: 'look', replyTo: 3, files: ['a'.repeat(64)] },
      'chosen-id',
    );
    expect(sent).toMatchObject({ id: 'chosen-id', files: ['a'.repeat(64)], state: 'pending' });
    expect(await connection.next('say')).toEqual({
      type: 'say',
      id: 'chosen-id',
      conv: 'general',
      text: 'look',
      replyTo: 3,
      files: ['a'.repeat(64)],
    });
    expect(() => session.send({ conv: 'general', text: 'again' }, 'chosen-id')).toThrow(/in use/);
  });
});

describe('ClientSession v2: search', () => {
  it('asks with the words, conversation and limit, and resolves with the hits of its answer', async () => {
    const { session, connection } = await room.joined();
    const searching = session.search({ q: 'lunch', conv: 'general', limit: 5 });
    const other = session.search({ q: 'dinner' });
    expect(await connection.next('search')).toEqual({
      type: 'search',
      q: 'lunch',
      conv: 'general',
      limit: 5,
    });
    expect(await connection.next('search')).toEqual({ type: 'search', q: 'dinner', limit: 20 });
    const hit = {
      conv: 'general',
      seq: 4,
      from: BOB,
      ts: 1_700_000_000_004,
      snippet: 'about \uE000lunch\uE001 today',
    };
    // Answers match by their words, whatever order they come in.
    connection.send({ type: 'search_results', q: 'dinner', hits: [] });
    connection.send({ type: 'search_results', q: 'lunch', hits: [hit] });
    expect(await searching).toEqual([hit]);
    expect(await other).toEqual([]);
  });

  it('rejects with the host refusal', async () => {
    const { session, connection } = await room.joined();
    const refused = session.search({ q: 'x', conv: 'd_secret' });
    await connection.next('search');
    connection.send({ type: 'error', code: 'no_such_conversation', message: 'nope' });
    await expect(refused).rejects.toMatchObject({ code: 'no_such_conversation' });
  });

  it('rejects with timeout and a clear sentence when nobody answers', async () => {
    // Short, and nothing is answered: a loaded machine cannot make it race an answer.
    const { session } = await room.joined({ requestTimeoutMs: 200 });
    const silent = session.search({ q: 'anyone?' });
    const error = await silent.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ code: 'timeout', message: expect.stringMatching(/search/) });
  });

  it('refuses an empty query without asking the host', async () => {
    const { session, connection } = await room.joined();
    await expect(session.search({ q: '   ' })).rejects.toBeInstanceOf(RangeError);
    await expect(connection.next('search', 100)).rejects.toThrow(/timed out/);
  });
});

describe('ClientSession v2: muted conversations', () => {
  it('loads the room mutes on welcome, shows them in the views and keeps changes', async () => {
    const saved: [string, readonly string[]][] = [];
    const mutes: MuteStore = {
      muted: (roomId) => (roomId === SCRIPTED_ROOM.id ? ['general'] : []),
      save: (roomId, muted) => void saved.push([roomId, [...muted]]),
    };
    const { session } = await room.joined({ mutes });
    expect(session.conversation('general')?.muted).toBe(true);
    const changed = nextEvent(session, 'conversations');
    await session.setMuted('general', false);
    expect((await changed)[0][0]).toMatchObject({ id: 'general', muted: false });
    expect(saved).toEqual([[SCRIPTED_ROOM.id, []]]);
    // Unchanged: nothing to keep.
    await session.setMuted('general', false);
    expect(saved).toHaveLength(1);
  });

  it('keeps a mute for the session without a store, still counting unread and mentions', async () => {
    const { session, connection } = await room.joined();
    await session.setMuted('general', true);
    connection.send(catchup('general', [text(1, 'hey @alice')]));
    await until(() => session.conversation('general')?.unread === 1, 2000, 'unread');
    expect(session.conversation('general')).toMatchObject({ muted: true, mentioned: true });
    connection.send(message(text(2, 'again')));
    await until(() => session.conversation('general')?.unread === 2, 2000, 'unread 2');
    expect(session.conversation('general')?.muted).toBe(true);
  });
});
