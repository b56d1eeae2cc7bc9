import { css } from 'lit';

export const conversationHeaderStyles = css`
  :host {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 16px;
    padding: 10px 20px;
    border-bottom: 1px solid var(--p-border);
    background: var(--p-surface);
  }

  .heading {
    flex: 1 1 220px;
    min-width: 0;
  }

  h2 {
    margin: 0;
    overflow: hidden;
    font-size: 16px;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .topic {
    margin: 0;
    overflow: hidden;
    font-size: 13px;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .muted {
    color: var(--p-text-muted);
  }

  .tools,
  .edit {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
  }

  .edit {
    flex: 1 1 320px;
  }

  .edit input {
    flex: 1 1 200px;
    width: auto;
    min-width: 0;
    padding: 4px 8px;
  }

  .error-text {
    flex-basis: 100%;
    margin: 0;
  }
`;
