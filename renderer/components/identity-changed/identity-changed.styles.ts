import { css } from 'lit';

export const identityChangedStyles = css`
  section {
    border: 2px solid var(--p-danger);
    background: var(--p-danger-soft);
    color: var(--p-danger);
  }

  h3 {
    font-size: 16px;
  }

  .warning {
    margin: 0;
    color: var(--p-text);
    font-family: var(--p-mono);
    font-size: 12px;
    line-height: 1.5;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  .forgotten {
    margin: 0;
    padding: 10px 12px;
    border-radius: var(--p-radius-small);
    background: var(--p-warn-soft);
    color: var(--p-warn-text);
    font-size: 14px;
  }

  button.danger {
    align-self: flex-start;
    border-color: var(--p-danger);
    color: var(--p-danger);
  }
`;
