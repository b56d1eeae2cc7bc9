/**
 * Chat messages that look like a real room's: a dozen people, texts from a word to a paragraph,
 * some on several lines, some with links or @mentions, history spread over a few days. Seeded,
 * so every run (and both modes of one run) lays out the same rows.
 */
import type { PeerV2, TextEntry } from '../../../protocol/wire/entries';

export const BENCH_SELF: PeerV2 = { id: 'p0', name: 'Ada' };
/** The one conversation the benchmark fills: every room has it. */
export const BENCH_CONV = 'general';
export const BENCH_PEERS: PeerV2[] = [
  BENCH_SELF,
  ...['Bob', 'Chandra', 'Dmitri', 'Eve', 'Fatima', 'Gus', 'Hiro', 'Ines', 'Jo', 'Kemal', 'Lea'].map(
    (name, index) => ({ id: `p${index + 1}`, name }),
  ),
];

const WORDS = (
  'the build is green again can someone look at the flaky test on main I pushed a fix for the ' +
  'login page lunch at noon meeting moved to three did the deploy finish yes looks good to me ' +
  'thanks will do later tomorrow maybe the numbers from yesterday are in the sheet'
).split(' ');
const LINKS = ['https://example.com/build/1234', 'https://intranet.example/wiki/Release_notes'];

/** mulberry32: a tiny seeded generator, plenty for picking words. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Markdown as people write it in chat, one picked per formatted message and filled with the
 * message's words: emphasis, inline code, a link, a quote, a list, a code block.
 */
const FORMATS: ((text: string, word: string) => string)[] = [
  (text, word) => text.replace(word, `**${word}**`),
  (text, word) => text.replace(word, `_${word}_ and ~~${word}~~`),
  (text, word) => `${text} \`npm run ${word}\``,
  (text, word) => `${text} [${word}](https://intranet.example/wiki/${word})`,
  (text) => `> ${text}\n\nagreed`,
  (text, word) => `${text}:\n- ${word}\n- **${word}** again\n- done`,
  (text, word) =>
    `${text}\n\`\`\`\nconst ${word} = await build({ watch: true });\nconsole.log(${word});\n\`\`\``,
];

export class MessageFactory {
  readonly #random: () => number;
  readonly #formatted: boolean;
  #seq = 0;

  /** `formatted`: every message carries Markdown (see FORMATS). */
  constructor(seed: number, formatted = false) {
    this.#random = seededRandom(seed);
    this.#formatted = formatted;
  }

  /** The next message in seq order, sent at `ts`. */
  next(ts: number): TextEntry {
    this.#seq++;
    const from = BENCH_PEERS[Math.floor(this.#random() * BENCH_PEERS.length)]!;
    return {
      seq: this.#seq,
      conv: BENCH_CONV,
      id: `bench-${this.#seq}`,
      from,
      ts,
      kind: 'text',
      text: this.#text(),
    };
  }

  /** `count` messages ending about now, spread evenly over `spanMs`. */
  history(count: number, now: number, spanMs: number): TextEntry[] {
    const step = count > 1 ? spanMs / (count - 1) : 0;
    return Array.from({ length: count }, (_, index) =>
      this.next(Math.round(now - spanMs + index * step)),
    );
  }

  #text(): string {
    const roll = this.#random();
    const words = roll < 0.5 ? this.#int(1, 8) : roll < 0.9 ? this.#int(8, 30) : this.#int(30, 70);
    const parts = Array.from({ length: words }, () => WORDS[this.#int(0, WORDS.length - 1)]!);
    const extra = this.#random();
    if (extra < 0.08) parts.push(LINKS[this.#int(0, LINKS.length - 1)]!);
    else if (extra < 0.14)
      parts.unshift(`@${BENCH_PEERS[this.#int(0, BENCH_PEERS.length - 1)]!.name}`);
    let text = parts.join(' ');
    if (this.#random() < 0.05) text = text.replace(' ', '\n').replace(' ', '\n');
    if (!this.#formatted) return text;
    const format = FORMATS[this.#int(0, FORMATS.length - 1)]!;
    return format(text, parts[parts.length - 1]!.replace(/\W/g, '') || 'it');
  }

  #int(min: number, max: number): number {
    return min + Math.floor(this.#random() * (max - min + 1));
  }
}
