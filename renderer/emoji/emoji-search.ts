/**
 * Finding an emoji by name: Emojibase's English data (labels and tags, MIT), loaded the first time
 * someone searches, so the page does not carry 570 KB of names for people who never do.
 */

/** The reactions most people reach for, offered before any search. */
export const FREQUENT_EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '😢', '🙏', '👀', '🔥', '✅'];

export interface EmojiChoice {
  emoji: string;
  /** Its name, e.g. `thumbs up`. */
  label: string;
}

interface EmojibaseEntry {
  label: string;
  unicode: string;
  group?: number;
  tags?: string[];
}

interface IndexedEmoji extends EmojiChoice {
  /** The label and tags, lower case, for matching. */
  words: string[];
}

/** Emojibase's group of skin tone and hair components: not emoji to react with on their own. */
const COMPONENT_GROUP = 2;

let loading: Promise<IndexedEmoji[]> | undefined;

function load(): Promise<IndexedEmoji[]> {
  loading ??= import('emojibase-data/en/compact.json').then((module) => {
    const entries = (module as unknown as { default: EmojibaseEntry[] }).default;
    return entries
      .filter((entry) => entry.group !== undefined && entry.group !== COMPONENT_GROUP)
      .map((entry) => ({
        emoji: entry.unicode,
        label: entry.label,
        words: [entry.label.toLowerCase(), ...(entry.tags ?? []).map((tag) => tag.toLowerCase())],
      }));
  });
  return loading;
}

/**
 * Emoji whose name or tags start with every word of `query` (`thumb up` finds 👍), best first:
 * names that start with the query, then the rest in Emojibase's order; at most `max`.
 */
export async function searchEmoji(query: string, max = 48): Promise<EmojiChoice[]> {
  const words = query.toLowerCase().split(/\s+/u).filter(Boolean);
  if (words.length === 0) return [];
  const all = await load();
  const starts: EmojiChoice[] = [];
  const others: EmojiChoice[] = [];
  const phrase = words.join(' ');
  for (const entry of all) {
    const matches = words.every((word) =>
      entry.words.some((candidate) => candidate.split(' ').some((part) => part.startsWith(word))),
    );
    if (!matches) continue;
    const choice = { emoji: entry.emoji, label: entry.label };
    (entry.label.startsWith(phrase) ? starts : others).push(choice);
    if (starts.length >= max) break;
  }
  return [...starts, ...others].slice(0, max);
}
