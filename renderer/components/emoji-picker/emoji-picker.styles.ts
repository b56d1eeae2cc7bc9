import { css } from 'lit';

export const emojiPickerStyles = css`
  dialog {
    position: fixed;
    width: 300px;
    height: 280px;
    margin: 0;
    padding: 8px;
    overflow: hidden;
    border: 1px solid var(--p-border);
    border-radius: var(--p-radius);
    background: var(--p-surface);
    box-shadow: 0 12px 40px rgb(16 24 40 / 24%);
    color: var(--p-text);
  }

  dialog[open] {
    display: flex;
    flex-direction: column;
    gap: 8px;
  }

  dialog::backdrop {
    background: transparent;
  }

  .frequent,
  .results {
    display: flex;
    flex-wrap: wrap;
    gap: 2px;
  }

  .results {
    flex: 1;
    align-content: flex-start;
    overflow-y: auto;
  }

  button.emoji {
    width: 34px;
    min-height: 34px;
    padding: 0;
    font-size: 20px;
  }

  .none {
    margin: 8px 4px;
    color: var(--p-text-muted);
    font-size: 13px;
  }
`;
