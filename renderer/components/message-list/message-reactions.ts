/**
 * A message's reactions: one chip per emoji with its count; hovering or focusing one says who
 * reacted; clicking it adds or takes back this person's own. A last chip opens the picker.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { TextEntry } from '../../../protocol/wire/entries';

export interface ReactionNames {
  selfId: string | undefined;
  nameOf(peerId: string): string;
}

export function reactionsTemplate(
  message: TextEntry,
  names: ReactionNames,
): TemplateResult | typeof nothing {
  const reactions = Object.entries(message.reactions ?? {}).filter(([, ids]) => ids.length > 0);
  if (reactions.length === 0) return nothing;
  return html`<div class="reactions">
    ${reactions.map(([emoji, ids]) => chip(emoji, ids, names))}
    <button class="reaction add" data-action="react" aria-label="Add a reaction" title="React">
      +
    </button>
  </div>`;
}

function chip(emoji: string, ids: readonly string[], names: ReactionNames): TemplateResult {
  const mine = names.selfId !== undefined && ids.includes(names.selfId);
  const who = whoReacted(ids, names);
  const label = `${emoji} ${ids.length}: ${who}. ${mine ? 'Click to take yours back.' : 'Click to add yours.'}`;
  return html`<button
    class="reaction ${mine ? 'mine' : ''}"
    data-action="toggle-reaction"
    data-emoji=${emoji}
    aria-pressed=${mine ? 'true' : 'false'}
    aria-label=${label}
  >
    <span class="emoji" aria-hidden="true">${emoji}</span>
    <span class="count" aria-hidden="true">${ids.length}</span>
    <span class="who" role="tooltip" aria-hidden="true">${who}</span>
  </button>`;
}

/** `You, Ada and Bob`, or with many, `Ada, Bob, Cy and 4 others`. */
export function whoReacted(ids: readonly string[], names: ReactionNames): string {
  const shown = 6;
  const list = ids.slice(0, shown).map((id) => (id === names.selfId ? 'You' : names.nameOf(id)));
  const others = ids.length - list.length;
  if (others > 0) return `${list.join(', ')} and ${others} ${others === 1 ? 'other' : 'others'}`;
  if (list.length === 1) return list[0]!;
  return `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}
