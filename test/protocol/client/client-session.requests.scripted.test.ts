/**
 * The client session's requests against a scripted host: channels, direct conversations, topics,
 * renames, pages of history and people, read markers and typing, each answered (or refused, or
 * left unanswered) by frames the test writes.
 */
import { describe, expect, it } from 'vitest';
import { RequestError } from '../../../protocol/client/client-session';
import { ERROR_SENTENCES } from '../../../protocol/wire/codes';
import { directConversationId } from '../../../protocol/wire/identity';
import {
  ALICE,
  BOB,
  catchup,
  conversation,
  conversationFrame,
  message,
  text,
  welcome,
} from './support/scripted-host';
import { useScriptedRoom } from './support/scripted-session';
import { collectEntries, nextEvent } from '../../support/session-events';
import { until } from '../../support/wait';

const room = useScriptedRoom();
const CAROL = { id: 'u_carol00000000000000000', name: 'carol' };
const DIRECT = directConversationId(ALICE.id, BOB.id);

describe('ClientSession v2: channels', () => {
  it('creates a channel: resolves with its view once acked and listed, and sends it once', async () => {
    const { session, connection } = await room.joined({ createId: () => 'make-1' });
    const creating = session.createChannel('crew', 'Rota and such');
    expect(await connection.next('create_channel')).toEqual({
      type: 'create_channel',
      id: 'make-1',
      name: 'crew',
      topic: 'Rota and such',
    });
    connection.send({ type: 'ack', id: 'make-1', conv: 'c_crew', seq: 1 });
    connection.send(
      conversationFrame('c_crew', {
        name: 'crew',
        creator: ALICE.id,
        topic: 'Rota and such',
        lastSeq: 1,
      }),
    );
    expect(await creating).toMatchObject({
      id: 'c_crew',
      kind: 'channel',
      name: 'crew',
      topic: 'Rota and such',
      creator: ALICE.id,
      member: true,
    });
    expect(session.conversations.map((view) => view.id)).toEqual(['general', 'c_crew']);
  });

  it('re-sends an unanswered new channel with the same id after reconnecting (exactly once)', async () => {
    const { session, connection } = await room.joined({ createId: () => 'make-2' });
    const creating = session.createChannel('crew');
    await connection.next('create_channel');
    connection.socket.terminate();
    const second = await room.host.nextConnection();
    await second.next('hello');
    second.send(
      welcome({
        conversations: [conversation(), conversation('c_crew', { name: 'crew', lastSeq: 1 })],
      }),
    );
    expect(await second.next('create_channel')).toEqual({
      type: 'create_channel',
      id: 'make-2',
      name: 'crew',
    });
    // The host had made it before the connection broke: it acks the original.
    second.send({ type: 'ack', id: 'make-2', conv: 'c_crew', seq: 1 });
    expect((await creating).id).toBe('c_crew');
  });

  it('refuses a taken channel name with the host code and its sentence, not as a room error', async () => {
    const { session, connection } = await room.joined({ createId: () => 'make-3' });
    const errors: string[] = [];
    session.on('error', ({ code }) => errors.push(code));
    const creating = session.createChannel('general');
    await connection.next('create_channel');
    connection.send({ type: 'error', code: 'channel_exists', message: 'taken', ref: 'make-3' });
    const error = await creating.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({
      code: 'channel_exists',
      message: ERROR_SENTENCES.channel_exists,
    });
    expect(errors).toEqual([]);
  });

  it('joins a channel: resolves on its conversation frame, then delivers its catchup', async () => {
    const crew = conversation('c_crew', { name: 'crew', member: false, lastSeq: 40 });
    const { session, connection } = await room.joined(
      {},
      { conversations: [conversation(), crew] },
    );
    expect(session.conversation('c_crew')?.member).toBe(false);
    const seen = collectEntries(session);
    const joining = session.joinChannel('c_crew');
    expect(await connection.next('join')).toEqual({ type: 'join', conv: 'c_crew' });
    connection.send(conversationFrame('c_crew', { name: 'crew', member: true, lastSeq: 41 }));
    connection.send(
      catchup('c_crew', [
        text(40, 'forty', { conv: 'c_crew' }),
        text(41, 'forty-one', { conv: 'c_crew' }),
      ]),
    );
    expect(await joining).toMatchObject({ id: 'c_crew', member: true });
    await until(() => seen.entries.length === 2, 2000, 'the catchup');
    expect(seen.texts('c_crew')).toEqual(['forty', 'forty-one']);
  });

  it('leaves a channel, and refuses leaving general with a sentence that fits', async () => {
    const crew = conversation('c_crew', { name: 'crew' });
    const { session, connection } = await room.joined(
      {},
      { conversations: [conversation(), crew] },
    );
    const leaving = session.leaveChannel('c_crew');
    expect(await connection.next('leave')).toEqual({ type: 'leave', conv: 'c_crew' });
    connection.send(conversationFrame('c_crew', { name: 'crew', member: false }));
    expect(await leaving).toMatchObject({ id: 'c_crew', member: false });

    const general = session.leaveChannel('general');
    await connection.next('leave');
    connection.send({ type: 'error', code: 'not_allowed', message: 'no' });
    await expect(general).rejects.toMatchObject({
      code: 'not_allowed',
      message: 'Everyone stays in general, and in their direct conversations.',
    });
  });

  it('sets a topic (acked like a message) and renames a channel (answered by its new name)', async () => {
    let next = 0;
    const crew = conversation('c_crew', { name: 'crew', creator: ALICE.id });
    const { session, connection } = await room.joined(
      { createId: () => `t-${++next}` },
      { conversations: [conversation(), crew] },
    );
    const topic = session.setTopic('c_crew', 'Tuesdays');
    expect(await connection.next('set_topic')).toEqual({
      type: 'set_topic',
      id: 't-1',
      conv: 'c_crew',
      topic: 'Tuesdays',
    });
    connection.send({ type: 'ack', id: 't-1', conv: 'c_crew', seq: 9 });
    expect(await topic).toEqual({ conv: 'c_crew', seq: 9 });

    const renaming = session.renameChannel('c_crew', 'Deck Crew');
    expect(await connection.next('rename_channel')).toEqual({
      type: 'rename_channel',
      conv: 'c_crew',
      name: 'Deck Crew',
    });
    // Someone's topic change of the same channel is not the answer; the new name is.
    connection.send(conversationFrame('c_crew', { name: 'crew', topic: 'Tuesdays' }));
    connection.send(conversationFrame('c_crew', { name: 'Deck Crew', topic: 'Tuesdays' }));
    expect(await renaming).toMatchObject({ id: 'c_crew', name: 'Deck Crew', topic: 'Tuesdays' });
    expect(session.channelNamed('#deck crew')?.id).toBe('c_crew');
  });

  it('refuses a rename by someone else than the creator with a sentence about renaming', async () => {
    const { session, connection } = await room.joined();
    const renaming = session.renameChannel('c_crew', 'mine');
    await connection.next('rename_channel');
    connection.send({ type: 'error', code: 'not_allowed', message: 'creator only' });
    await expect(renaming).rejects.toMatchObject({
      code: 'not_allowed',
      message: 'Only the person who created the channel can rename it.',
    });
  });

  it('gives up on a request the host never answers, with code timeout', async () => {
    // Long enough for the second request's answer to beat it on a loaded machine.
    const { session, connection } = await room.joined({ requestTimeoutMs: 1000 });
    const failing = session.joinChannel('c_silent').catch((caught: unknown) => caught);
    await connection.next('join');
    const error = await failing;
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ code: 'timeout', message: expect.stringMatching(/in time/) });
    // Its late answer goes to nobody else.
    const next = session.joinChannel('c_silent');
    await connection.next('join');
    connection.send(conversationFrame('c_silent'));
    connection.send(conversationFrame('c_silent'));
    expect((await next).id).toBe('c_silent');
  });

  it('asks again after a reconnect when the answer did not come before the connection broke', async () => {
    const { session, connection } = await room.joined();
    const joining = session.joinChannel('c_crew');
    await connection.next('join');
    connection.socket.terminate();
    const second = await room.host.nextConnection();
    await second.next('hello');
    second.send(welcome());
    expect(await second.next('join')).toEqual({ type: 'join', conv: 'c_crew' });
    second.send(conversationFrame('c_crew', { name: 'crew' }));
    expect((await joining).member).toBe(true);
  });
});

describe('ClientSession v2: direct conversations', () => {
  it('opens one with a person: resolves with the view naming them', async () => {
    const { session, connection } = await room.joined({}, { peers: [ALICE, BOB], peerCount: 2 });
    const opening = session.openDirect(BOB.id);
    expect(await connection.next('open_direct')).toEqual({ type: 'open_direct', peer: BOB.id });
    connection.send(
      conversationFrame(DIRECT, { kind: 'direct', name: undefined, members: [ALICE, BOB] }),
    );
    connection.send(catchup(DIRECT, []));
    expect(await opening).toMatchObject({ id: DIRECT, kind: 'direct', peer: BOB, member: true });
  });

  it('refuses one without a lasting identity with no_identity', async () => {
    const { session, connection } = await room.joined();
    const opening = session.openDirect(BOB.id);
    await connection.next('open_direct');
    connection.send({ type: 'error', code: 'no_identity', message: 'ephemeral' });
    await expect(opening).rejects.toMatchObject({
      code: 'no_identity',
      message: ERROR_SENTENCES.no_identity,
    });
  });

  it('lists one the other person opened, with its entries', async () => {
    const { session, connection } = await room.joined();
    const seen = collectEntries(session);
    const listed = nextEvent(session, 'conversations', (views) => views.length === 2);
    connection.send(
      conversationFrame(DIRECT, { kind: 'direct', name: undefined, members: [BOB, ALICE] }),
    );
    connection.send(catchup(DIRECT, []));
    connection.send(message(text(1, 'psst', { conv: DIRECT })));
    const [views] = await listed;
    expect(views[1]).toMatchObject({ id: DIRECT, peer: BOB });
    await until(() => seen.entries.length === 1, 2000, 'the direct message');
    expect(session.conversation(DIRECT)).toMatchObject({ unread: 1, lastSeq: 1 });
  });
});

describe('ClientSession v2: read markers, unread and mentions', () => {
  it('counts unread text from others, flags a mention, and clears both when marked read', async () => {
    const { session, connection } = await room.joined(
      {},
      { conversations: [conversation('general', { lastSeq: 3, readSeq: 1 })], peers: [ALICE, BOB] },
    );
    connection.send(
      catchup('general', [text(1, 'old'), text(2, 'hey @alice'), text(3, 'mine', { from: ALICE })]),
    );
    await until(() => session.cursor('general') === 3, 2000, 'the catchup');
    expect(session.conversation('general')).toMatchObject({ unread: 1, mentioned: true });
    connection.send(message(text(4, 'more')));
    await until(() => session.conversation('general')?.unread === 2, 2000, 'a new unread');

    session.markRead('general', 99);
    expect(await connection.next('read')).toEqual({ type: 'read', conv: 'general', seq: 4 });
    expect(session.conversation('general')).toMatchObject({
      readSeq: 4,
      unread: 0,
      mentioned: false,
    });
    // Never backwards.
    session.markRead('general', 2);
    connection.send({ type: 'pong' });
    await expect(connection.next('read', 200)).rejects.toThrow(/timed out/);
  });

  it('follows the markers other devices of this identity set', async () => {
    const { session, connection } = await room.joined(
      {},
      { conversations: [conversation('general', { lastSeq: 2 })] },
    );
    connection.send(catchup('general', [text(1, 'a'), text(2, 'b')]));
    await until(() => session.conversation('general')?.unread === 2, 2000, 'two unread');
    connection.send({ type: 'read', conv: 'general', seq: 1 });
    await until(() => session.conversation('general')?.unread === 1, 2000, 'the other device');
    expect(session.conversation('general')?.readSeq).toBe(1);
  });

  it('sends a marker set while disconnected after the next welcome', async () => {
    const { session, connection } = await room.joined(
      {},
      { conversations: [conversation('general', { lastSeq: 5 })] },
    );
    connection.send(catchup('general', [text(5, 'five')]));
    await until(() => session.cursor('general') === 5, 2000, 'the catchup');
    const reconnecting = nextEvent(session, 'state', (state) => state === 'reconnecting');
    connection.socket.terminate();
    await reconnecting;
    session.markRead('general', 5);
    const second = await room.host.nextConnection();
    await second.next('hello');
    second.send(welcome({ conversations: [conversation('general', { lastSeq: 5 })] }));
    expect(await second.next('read')).toEqual({ type: 'read', conv: 'general', seq: 5 });
    expect(session.conversation('general')?.readSeq).toBe(5);
  });
});

describe('ClientSession v2: history, people and typing', () => {
  it('loads older pages per conversation and re-asks after a reconnect', async () => {
    const crew = conversation('c_crew', { name: 'crew' });
    const { session, connection } = await room.joined(
      {},
      { conversations: [conversation(), crew] },
    );
    const general = session.loadOlder('general', 101, 2);
    const older = session.loadOlder('c_crew', 99);
    expect(await connection.next('history')).toEqual({
      type: 'history',
      conv: 'general',
      before: 101,
      limit: 2,
    });
    expect(await connection.next('history')).toEqual({
      type: 'history',
      conv: 'c_crew',
      before: 99,
      limit: 50,
    });
    connection.send({
      type: 'history',
      conv: 'general',
      messages: [text(99, 'a'), text(100, 'b')],
      more: true,
    });
    expect(await general).toEqual({ entries: [text(99, 'a'), text(100, 'b')], more: true });

    connection.socket.terminate();
    const again = await room.host.nextConnection();
    await again.next('hello');
    again.send(welcome({ conversations: [conversation(), crew] }));
    expect(await again.next('history')).toMatchObject({ conv: 'c_crew', before: 99 });
    again.send({ type: 'history', conv: 'c_crew', messages: [], more: false });
    expect(await older).toEqual({ entries: [], more: false });
  });

  it('refuses loadOlder arguments outside the protocol, and a page of a conversation it may not read', async () => {
    const { session, connection } = await room.joined();
    await expect(session.loadOlder('general', 0)).rejects.toThrow(RangeError);
    await expect(session.loadOlder('general', 10, 201)).rejects.toThrow(RangeError);
    await expect(session.loadOlder('', 10)).rejects.toThrow(RangeError);
    const hidden = session.loadOlder('d_someone_else', 10);
    await connection.next('history');
    connection.send({ type: 'error', code: 'no_such_conversation', message: 'no' });
    await expect(hidden).rejects.toMatchObject({ code: 'no_such_conversation' });
  });

  it('pages people by name and adds them to the ones it knows', async () => {
    const { session, connection } = await room.joined({}, { peerCount: 3 });
    expect(session.peerCount).toBe(3);
    const page = session.morePeers('alice', 2);
    expect(await connection.next('peers')).toEqual({ type: 'peers', after: 'alice', limit: 2 });
    connection.send({ type: 'peers', peers: [BOB, CAROL], more: false });
    expect(await page).toEqual({ peers: [BOB, CAROL], more: false });
    expect(session.peers.map((peer) => peer.name)).toEqual(['alice', 'bob', 'carol']);
  });

  it('tracks people arriving, leaving and renaming (this one too, from another device)', async () => {
    const direct = conversation(DIRECT, { kind: 'direct', name: undefined, members: [ALICE, BOB] });
    const { session, connection } = await room.joined(
      {},
      { conversations: [conversation(), direct] },
    );
    const renames: string[] = [];
    session.on('renamed', (peer) => renames.push(peer.name));
    connection.send({ type: 'joined', peer: BOB });
    await nextEvent(session, 'joined');
    expect(session.peers.map((peer) => peer.name)).toEqual(['alice', 'bob']);
    expect(session.peerCount).toBe(2);
    connection.send({ type: 'peer', peer: { ...BOB, name: 'robert' } });
    connection.send({ type: 'peer', peer: { ...ALICE, name: 'ally' } });
    await until(() => renames.length === 2, 2000, 'two renames');
    expect(session.self?.name).toBe('ally');
    expect(session.conversation(DIRECT)?.peer?.name).toBe('robert');
    connection.send({ type: 'left', peer: { ...BOB, name: 'robert' } });
    await nextEvent(session, 'left');
    expect(session.peers.map((peer) => peer.name)).toEqual(['ally']);
    expect(session.peerCount).toBe(1);
  });

  it('sends typing per conversation at most every few seconds, and passes on only others', async () => {
    const crew = conversation('c_crew', { name: 'crew' });
    const { session, connection } = await room.joined(
      {},
      { conversations: [conversation(), crew] },
    );
    const typing: string[] = [];
    session.on('typing', ({ conv, peer }) => typing.push(`${conv}:${peer.name}`));
    session.typing('general');
    session.typing('general');
    session.typing('c_crew');
    session.typing('c_not_joined');
    session.send({ conv: 'general', text: 'after typing' });
    await connection.next('say');
    expect(connection.received.filter((frame) => frame.type === 'typing')).toEqual([
      { type: 'typing', conv: 'general' },
      { type: 'typing', conv: 'c_crew' },
    ]);
    connection.send({ type: 'typing', conv: 'general', peer: ALICE });
    connection.send({ type: 'typing', conv: 'c_crew', peer: BOB });
    await nextEvent(session, 'typing');
    expect(typing).toEqual(['c_crew:bob']);
  });
});
