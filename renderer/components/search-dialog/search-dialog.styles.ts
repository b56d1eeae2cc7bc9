import { css } from 'lit';

export const searchDialogStyles = css`
  dialog {
    width: min(640px, calc(100vw - 32px));
    max-height: min(80vh, 720px);
  }

  .results {
    margin-top: 12px;
  }

  h3 {
    margin: 12px 0 4px;
    color: var(--p-text-muted);
    font-size: 13px;
    font-weight: 600;
  }

  ul {
    margin: 0;
    padding: 0;
    list-style: none;
  }

  button.hit {
    display: flex;
    flex-direction: column;
    align-items: stretch;
    width: 100%;
    min-height: 0;
    padding: 8px 10px;
    border-color: transparent;
    font-weight: 400;
    text-align: start;
    white-space: normal;
  }

  .hit-meta {
    display: flex;
    gap: 8px;
    font-size: 12px;
  }

  .hit-author {
    font-weight: 600;
  }

  time {
    color: var(--p-text-muted);
  }

  .snippet {
    overflow-wrap: anywhere;
  }

  mark {
    padding: 0 1px;
    border-radius: 3px;
    background: var(--p-warn-soft);
    color: var(--p-warn-text);
    font-weight: 600;
  }

  .none {
    color: var(--p-text-muted);
  }
`;
