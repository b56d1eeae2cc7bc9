import { css } from 'lit';

export const conversationSidebarStyles = css`
  :host {
    display: block;
  }

  .group-head {
    display: flex;
    align-items: center;
    gap: 2px;
    margin: 0 0 6px;
  }

  .group-head + ul,
  .group-head + .hint {
    margin-bottom: 18px;
  }

  h2 {
    flex: 1;
    margin: 0;
    color: var(--p-text-muted);
    font-size: 12px;
    font-weight: 600;
    letter-spacing: 0.06em;
    text-transform: uppercase;
  }

  button.icon {
    width: 30px;
    min-height: 30px;
    padding: 0;
  }

  svg {
    width: 16px;
    height: 16px;
    fill: none;
    stroke: currentColor;
    stroke-linecap: round;
    stroke-width: 2;
  }

  ul {
    display: flex;
    flex-direction: column;
    gap: 1px;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  button.conversation {
    justify-content: flex-start;
    width: 100%;
    min-height: 34px;
    padding: 0 8px;
    border-color: transparent;
    background: transparent;
    color: var(--p-text-muted);
    font-weight: 400;
  }

  button.conversation.unread {
    color: var(--p-text);
    font-weight: 600;
  }

  button.conversation.current {
    background: var(--p-accent-soft);
    color: var(--p-text);
  }

  .label {
    flex: 1;
    overflow: hidden;
    text-align: left;
    text-overflow: ellipsis;
  }

  .count,
  .mention {
    display: inline-grid;
    place-items: center;
    min-width: 20px;
    height: 20px;
    padding: 0 6px;
    border-radius: 999px;
    font-size: 12px;
    font-weight: 700;
  }

  .count {
    background: var(--p-accent);
    color: var(--p-accent-text);
  }

  .count.quiet {
    background: var(--p-surface-2);
    color: var(--p-text-muted);
    font-weight: 400;
  }

  .mention {
    padding: 0;
    background: var(--p-warn-soft);
    color: var(--p-warn-text);
  }

  .hint {
    margin: 0 8px;
    color: var(--p-text-muted);
    font-size: 13px;
  }
`;
