import { css } from 'lit';

export const conversationPaneStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
  }

  message-list {
    flex: 1;
  }

  .typing-line {
    min-height: 20px;
    margin: 0;
    padding: 0 22px;
    color: var(--p-text-muted);
    font-size: 12px;
    font-style: italic;
  }

  /* Over the whole window while files are dragged over it. */
  .drop-zone {
    position: fixed;
    z-index: 10;
    inset: 12px;
    display: grid;
    place-items: center;
    border: 3px dashed var(--p-accent);
    border-radius: var(--p-radius);
    background: rgb(76 86 209 / 12%);
    pointer-events: none;
  }

  .drop-zone p {
    padding: 14px 20px;
    border-radius: var(--p-radius);
    background: var(--p-surface);
    box-shadow: var(--p-shadow);
    font-size: 17px;
  }
`;
