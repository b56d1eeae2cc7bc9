import { css } from 'lit';

export const messageComposerStyles = css`
  :host {
    display: block;
    padding: 8px 16px 16px;
  }

  form {
    display: flex;
    align-items: flex-end;
    gap: 8px;
    padding: 6px 6px 6px 12px;
    border: 1px solid var(--p-border);
    border-radius: var(--p-radius);
    background: var(--p-surface);
    box-shadow: var(--p-shadow);
  }

  form:focus-within {
    border-color: var(--p-focus);
  }

  textarea {
    flex: 1;
    min-height: 36px;
    max-height: 40vh;
    padding: 7px 0;
    border: 0;
    background: transparent;
    resize: none;
    line-height: 1.45;
  }

  textarea:focus-visible {
    outline: none;
  }

  button.send {
    width: 38px;
    min-height: 36px;
    padding: 0;
    border-radius: 8px;
  }

  svg {
    width: 18px;
    height: 18px;
  }

  .below {
    display: flex;
    justify-content: space-between;
    gap: 12px;
    min-height: 18px;
    margin-top: 4px;
    padding: 0 4px;
    font-size: 12px;
  }

  .error {
    margin: 0;
    color: var(--p-danger);
    font-weight: 500;
  }

  .counter {
    margin-left: auto;
    color: var(--p-text-muted);
    font-variant-numeric: tabular-nums;
  }

  .counter.over {
    color: var(--p-danger);
    font-weight: 600;
  }

  .keys {
    color: var(--p-text-muted);
  }
`;
