/**
 * What the search benchmark asks: a fixed mix of the searches people type (a common word, a
 * rare one, the first letters of a word, two words, a phrase, one conversation), each by one of
 * the room's people, so every search runs through the reader's scope as the host's would.
 */
import type { SearchScope } from '../../main/host/store/room-store';
import { CHANNELS, DIRECTS, PEOPLE, seededRandom, vocabulary } from './search-corpus';

export interface BenchQuery {
  kind: string;
  q: string;
  scope: SearchScope;
}

const KINDS = [
  'common word',
  'rare word',
  'first letter',
  'first 3 letters',
  'two words',
  'phrase',
  'in a channel',
  'in a direct',
] as const;

/** `count` searches over the room `buildCorpus(dir, messages)` made, the kinds in turn. */
export function benchQueries(messages: number, count: number): BenchQuery[] {
  // The same seed and first draws as the corpus: the same vocabulary.
  const words = vocabulary(50_000, seededRandom(messages));
  const random = seededRandom(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const common = () => pick(words.slice(0, 30));
  const middling = () => pick(words.slice(30, 2000));
  const rare = () => pick(words.slice(2000));
  const queries: BenchQuery[] = [];
  for (let at = 0; at < count; at++) {
    const kind = KINDS[at % KINDS.length]!;
    const direct = pick(DIRECTS);
    const reader = kind === 'in a direct' ? direct.members[0].id : pick(PEOPLE).id;
    const scope: SearchScope = { reader };
    let q: string;
    switch (kind) {
      case 'common word':
        q = common();
        break;
      case 'rare word':
        q = rare();
        break;
      case 'first letter':
        q = middling().slice(0, 1);
        break;
      case 'first 3 letters':
        q = middling().slice(0, 3);
        break;
      case 'two words':
        q = `${middling()} ${common()}`;
        break;
      case 'phrase':
        q = `"${common()} ${common()}"`;
        break;
      case 'in a channel':
        q = middling();
        scope.conv = pick(CHANNELS);
        break;
      case 'in a direct':
        q = middling();
        scope.conv = direct.id;
        break;
    }
    queries.push({ kind, q, scope });
  }
  return queries;
}
