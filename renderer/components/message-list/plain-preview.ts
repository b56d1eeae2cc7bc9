/** A message as a short line of plain text: what a reply shows of the message it answers. */
import { markdownToPlainText } from '../../markdown/message-markdown';
import { truncate } from '../../timeline-diff';

const PREVIEW_LENGTH = 120;
const previews = new Map<string, string>();
const MAX_PREVIEWS = 500;

export function plainPreview(text: string): string {
  const held = previews.get(text);
  if (held !== undefined) return held;
  const preview = truncate(markdownToPlainText(text), PREVIEW_LENGTH);
  if (previews.size >= MAX_PREVIEWS) previews.clear();
  previews.set(text, preview);
  return preview;
}
