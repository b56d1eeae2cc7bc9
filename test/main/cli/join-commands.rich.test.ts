/**
 * The terminal's commands for rich messages, through a real session against a scripted host:
 * /reply, /edit, /delete, /react and /unreact send their frames on the current conversation;
 * /search prints the hits with their seq and matches marked; bad input is a note, not a frame.
 */
import { describe, expect, it } from 'vitest';
import { runCommand, parseCommand, type CommandContext } from '../../../main/cli/join-commands';
import { MATCH_END, MATCH_START } from '../../../protocol/wire/entries';
import { BOB } from '../../protocol/client/support/scripted-host';
import { useScriptedRoom } from '../../protocol/client/support/scripted-session';

const room = useScriptedRoom();

function contextFor() {
  const notes: string[] = [];
  const printed: string[] = [];
  const sent: { conv: string; paths: string[] }[] = [];
  const context: CommandContext = {
    view: { current: 'general' },
    note: (text) => notes.push(text),
    print: (line) => printed.push(line),
    moved: () => undefined,
    quit: () => undefined,
    sendFiles: async (conv, paths) => {
      sent.push({ conv, paths });
    },
  };
  return { context, notes, printed, sent };
}

const run = (session: Parameters<typeof runCommand>[0], line: string, context: CommandContext) =>
  runCommand(session, parseCommand(line)!, context);

describe('terminal commands for rich messages', () => {
  it('sends replies, edits, deletions and reactions on the current conversation', async () => {
    const { session, connection } = await room.joined();
    const { context, notes } = contextFor();
    await run(session, '/reply 3 sounds good', context);
    expect(await connection.next('say')).toMatchObject({
      conv: 'general',
      text: 'sounds good',
      replyTo: 3,
    });
    await run(session, '/edit #3 fixed text', context);
    expect(await connection.next('edit')).toMatchObject({
      conv: 'general',
      target: 3,
      text: 'fixed text',
    });
    await run(session, '/delete 3', context);
    expect(await connection.next('delete')).toMatchObject({ conv: 'general', target: 3 });
    await run(session, '/react 3 👍', context);
    expect(await connection.next('react')).toMatchObject({ target: 3, emoji: '👍', on: true });
    await run(session, '/unreact 3 👍', context);
    expect(await connection.next('react')).toMatchObject({ target: 3, emoji: '👍', on: false });
    expect(notes).toEqual([]);
  });

  it('says how to use a command typed wrong, and sends nothing', async () => {
    const { session } = await room.joined();
    const { context, notes } = contextFor();
    await run(session, '/edit three words', context);
    await run(session, '/delete', context);
    await run(session, '/react 4', context);
    expect(notes).toEqual([
      'say which message and its new text: /edit SEQ text',
      'say which message: /delete SEQ',
      'say which message and emoji: /react SEQ 👍',
    ]);
    expect(session.changes).toEqual([]);
  });

  it('prints search hits with their seq and the matches marked', async () => {
    const { session, connection } = await room.joined();
    const { context, printed, notes } = contextFor();
    const searching = run(session, '/search lunch', context);
    expect(await connection.next('search')).toMatchObject({ q: 'lunch' });
    connection.send({
      type: 'search_results',
      q: 'lunch',
      hits: [
        {
          conv: 'general',
          seq: 42,
          from: BOB,
          ts: Date.now(),
          snippet: `time for ${MATCH_START}lunch${MATCH_END}?`,
        },
      ],
    });
    await searching;
    expect(notes).toEqual(['found for lunch, newest first:']);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^ {2}\[\d\d:\d\d\] #general bob: time for \*lunch\*\? \(#42\)$/);
  });

  it('hands /send PATH to the file sender for the current conversation', async () => {
    const { session } = await room.joined();
    const { context, sent } = contextFor();
    await run(session, '/send /tmp/report 2.pdf', context);
    expect(sent).toEqual([{ conv: 'general', paths: ['/tmp/report 2.pdf'] }]);
  });
});
