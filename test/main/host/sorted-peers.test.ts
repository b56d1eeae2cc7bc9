import { describe, expect, it } from 'vitest';
import { Person } from '../../../main/host/people';
import { SortedPeers } from '../../../main/host/sorted-peers';

const person = (id: string, name: string, ephemeral = false) =>
  new Person(ephemeral ? { id, name, ephemeral: true } : { id, name });

describe('SortedPeers', () => {
  it('sorts by name case-insensitively, pages after a name, and shares the welcome bytes', () => {
    const list = new SortedPeers();
    const people = [
      person('u_d', 'dora'),
      person('p_b', 'Bea', true),
      person('u_e', 'Émile'),
      person('u_a', 'al'),
      person('u_c', 'cleo'),
    ];
    for (const each of people) list.add(each);
    const names = (peers: { name: string }[]) => peers.map((peer) => peer.name);
    expect(names(list.page(undefined, 10).peers)).toEqual(['al', 'Bea', 'cleo', 'dora', 'Émile']);
    expect(list.page('BEA', 2)).toEqual({
      peers: [people[4]!.peer, people[0]!.peer],
      more: true,
    });
    expect(list.page('dora', 2)).toEqual({ peers: [people[2]!.peer], more: false });
    // nameKey is a decomposed skeleton: É sorts as an E with an accent, among the e's, before z.
    expect(list.page('e', 2)).toEqual({ peers: [people[2]!.peer], more: false });
    expect(list.page('zz', 2)).toEqual({ peers: [], more: false });
    expect(list.page('ÉMILE', 2)).toEqual({ peers: [], more: false });

    const bytes = list.welcomeItemsBytes(2);
    expect(JSON.parse(`[${bytes.toString()}]`)).toEqual([people[3]!.peer, people[1]!.peer]);
    expect(list.welcomeItemsBytes(2)).toBe(bytes);
    list.delete(people[3]!);
    expect(list.welcomeItemsBytes(2)).not.toBe(bytes);
    expect(
      names(JSON.parse(`[${list.welcomeItemsBytes(9).toString()}]`) as { name: string }[]),
    ).toEqual(['Bea', 'cleo', 'dora', 'Émile']);
    expect(list.size).toBe(4);
  });

  it('builds the welcome list anew only when the people it lists change', () => {
    const list = new SortedPeers();
    const listed = (bytes: Buffer) =>
      (JSON.parse(`[${bytes.toString()}]`) as { name: string }[]).map((peer) => peer.name);
    list.add(person('u_b', 'bo'));
    const roomy = list.welcomeItemsBytes(2);
    // One listed, room for two: anyone who comes is listed.
    list.add(person('u_y', 'yan'));
    const full = list.welcomeItemsBytes(2);
    expect(full).not.toBe(roomy);
    expect(listed(full)).toEqual(['bo', 'yan']);
    // Full: someone who sorts after the listed people changes nothing, nor does their leaving.
    const zed = person('u_z', 'zed');
    list.add(zed);
    expect(list.welcomeItemsBytes(2)).toBe(full);
    list.delete(zed);
    expect(list.welcomeItemsBytes(2)).toBe(full);
    // Someone who sorts among them does.
    const al = person('u_a', 'al');
    list.add(al);
    expect(listed(list.welcomeItemsBytes(2))).toEqual(['al', 'bo']);
    list.delete(al);
    expect(listed(list.welcomeItemsBytes(2))).toEqual(['bo', 'yan']);
  });
});
