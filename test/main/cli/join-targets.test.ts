import { describe, expect, it } from 'vitest';
import { parseCommand, messageText } from '../../../main/cli/join-commands';
import {
  channel,
  directWith,
  findPeer,
  TargetProblem,
  type TargetSession,
} from '../../../main/cli/join-targets';
import type { ConversationView } from '../../../protocol/bridge';
import type { PeerV2 } from '../../../protocol/wire/entries';

const peer = (name: string): PeerV2 => ({ id: `u_${name}`, name });
const ANN = peer('Ann');

/** A session that knows `known`, while the room (peerCount) has everyone in `pages`. */
function sessionWith(known: PeerV2[], pages: PeerV2[][] = [], views: ConversationView[] = []) {
  const asked: (string | undefined)[] = [];
  const session = {
    peers: known,
    peerCount: known.length + pages.flat().length,
    self: ANN,
    async morePeers(after?: string) {
      asked.push(after);
      const page = pages[asked.length - 1] ?? [];
      return { peers: page, more: asked.length < pages.length };
    },
    channelNamed: (name: string) => views.find((view) => view.name === name.replace(/^#/, '')),
    conversations: views,
    joinChannel: async (conv: string) => ({
      ...views.find((view) => view.id === conv)!,
      member: true,
    }),
    createChannel: async (name: string) => ({ ...views[0]!, id: `c_${name}`, name }),
    openDirect: async (id: string) => ({ ...views[0]!, id: `d_${id}`, kind: 'direct' as const }),
  } as unknown as TargetSession;
  return { session, asked };
}

const view = (overrides: Partial<ConversationView>): ConversationView => ({
  id: 'c_crew',
  kind: 'channel',
  name: 'crew',
  member: false,
  lastSeq: 0,
  readSeq: 0,
  unread: 0,
  mentioned: false,
  muted: false,
  ...overrides,
});

describe('terminal targets', () => {
  it('finds a person by name in any case, paging the host only when the room is bigger', async () => {
    const { session, asked } = sessionWith(
      [ANN, peer('bob')],
      [[peer('carol'), peer('dan')], [peer('Émile')]],
    );
    expect(await findPeer(session, '@BOB')).toEqual(peer('bob'));
    expect(asked).toEqual([]);
    expect(await findPeer(session, 'émile')).toEqual(peer('Émile'));
    expect(asked).toEqual([undefined, 'dan']);
    expect(await findPeer(sessionWith([ANN]).session, 'zed')).toBeUndefined();
  });

  it('opens a direct conversation with someone there, and refuses nobody or oneself', async () => {
    const { session } = sessionWith([ANN, peer('bob')], [], [view({})]);
    expect((await directWith(session, 'bob')).id).toBe('d_u_bob');
    await expect(directWith(session, 'zed')).rejects.toThrow(TargetProblem);
    await expect(directWith(session, 'ann')).rejects.toThrow('that is you');
  });

  it('joins a channel it is not in, and makes one only when asked to', async () => {
    const { session } = sessionWith([ANN], [], [view({})]);
    expect(await channel(session, '#crew')).toMatchObject({ id: 'c_crew', member: true });
    await expect(channel(session, '#nowhere')).rejects.toThrow(
      'there is no channel #nowhere in this room',
    );
    expect(await channel(session, '#nowhere', true)).toMatchObject({ id: 'c_nowhere' });
  });

  it('tells commands from messages', () => {
    expect(parseCommand('/MSG bob  hello there ')).toEqual({
      name: 'msg',
      rest: 'bob  hello there',
    });
    expect(parseCommand('/channels')).toEqual({ name: 'channels', rest: '' });
    expect(parseCommand('  /who')).toEqual({ name: 'who', rest: '' });
    expect(parseCommand('//not a command')).toBeUndefined();
    expect(parseCommand('plain')).toBeUndefined();
    expect(messageText('//slash')).toBe('/slash');
    expect(messageText('plain')).toBe('plain');
  });
});
