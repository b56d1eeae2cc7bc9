import { css } from 'lit';

export const roomViewStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    height: 100%;
    background: var(--p-bg);
  }

  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 12px 20px;
    padding: 12px 20px;
    border-bottom: 1px solid var(--p-border);
    background: var(--p-surface);
  }

  .title {
    flex: 1 1 200px;
    min-width: 0;
  }

  h1 {
    margin: 0;
    overflow: hidden;
    font-size: 18px;
    letter-spacing: -0.01em;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .subtitle {
    margin: 0;
    color: var(--p-text-muted);
    font-size: 13px;
  }

  .badge {
    color: var(--p-ok);
    font-weight: 600;
  }

  .where {
    display: flex;
    flex-direction: column;
    gap: 8px;
    min-width: 0;
  }

  .addresses {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .addresses li {
    display: flex;
    align-items: center;
    gap: 2px;
    padding: 2px 2px 2px 10px;
    border: 1px solid var(--p-border);
    border-radius: 999px;
    background: var(--p-surface-2);
  }

  code {
    font-family: var(--p-mono);
    font-size: 13px;
    user-select: all;
  }

  .addresses li code {
    padding-right: 2px;
  }

  invite-panel {
    flex: none;
    max-height: 50vh;
    padding: 14px 20px;
    overflow-y: auto;
    border-bottom: 1px solid var(--p-border);
    background: var(--p-bg);
  }

  .confirm {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    font-size: 14px;
  }

  button.danger {
    border-color: var(--p-danger);
    background: var(--p-danger);
    color: #fff;
  }

  button.danger:hover:not(:disabled) {
    background: var(--p-danger);
    filter: brightness(1.1);
  }

  .body {
    display: grid;
    flex: 1;
    grid-template-columns: 232px minmax(0, 1fr);
    min-height: 0;
  }

  aside {
    padding: 16px 12px;
    overflow-y: auto;
    border-right: 1px solid var(--p-border);
    background: var(--p-surface);
  }

  .chat {
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

  @media (max-width: 720px) {
    .body {
      grid-template-columns: minmax(0, 1fr);
    }

    aside {
      display: none;
    }

    header {
      padding: 10px 14px;
    }
  }
`;
