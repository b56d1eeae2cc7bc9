import { css } from 'lit';

export const messageComposerStyles = css`
  :host {
    position: relative;
    display: block;
    padding: 8px 16px 16px;
  }

  .context,
  .attachments {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 0 0 6px;
    padding: 4px 4px 4px 10px;
    border-inline-start: 3px solid var(--p-accent);
    border-radius: 6px;
    background: var(--p-surface-2);
    font-size: 13px;
  }

  .context-label {
    flex: none;
  }

  .context-text {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    color: var(--p-text-muted);
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .context button {
    margin-left: auto;
  }

  .attachments {
    flex-wrap: wrap;
    list-style: none;
  }

  .attachments li {
    display: flex;
    align-items: center;
    gap: 6px;
    max-width: 100%;
    padding: 2px 2px 2px 8px;
    border: 1px solid var(--p-border);
    border-radius: 6px;
    background: var(--p-surface);
  }

  .attachment-name {
    max-width: 24ch;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .attachment-size {
    color: var(--p-text-muted);
  }

  .mentions {
    position: absolute;
    bottom: calc(100% - 4px);
    left: 16px;
    z-index: 3;
    min-width: 200px;
    margin: 0;
    padding: 4px;
    border: 1px solid var(--p-border);
    border-radius: 8px;
    background: var(--p-surface);
    box-shadow: var(--p-shadow);
    list-style: none;
  }

  .mentions[hidden] {
    display: none;
  }

  .mentions li {
    padding: 6px 10px;
    border-radius: 6px;
    cursor: pointer;
  }

  .mentions li[aria-selected='true'] {
    background: var(--p-accent-soft);
    color: var(--p-accent);
  }

  button.attach {
    width: 36px;
    min-height: 36px;
    margin-left: -6px;
    padding: 0;
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
