import { css } from 'lit';

export const desktopSettingsStyles = css`
  :host {
    display: block;
  }

  details {
    border: 1px solid var(--p-border);
    border-radius: var(--p-radius);
    background: var(--p-surface);
  }

  summary {
    padding: 12px 16px;
    cursor: pointer;
    font-weight: 600;
  }

  .options {
    display: flex;
    flex-direction: column;
    gap: 10px;
    padding: 0 16px 16px;
  }

  label {
    display: flex;
    align-items: flex-start;
    gap: 10px;
    cursor: pointer;
  }

  input {
    width: 18px;
    height: 18px;
    margin: 2px 0 0;
    accent-color: var(--p-accent);
  }

  .hint {
    display: block;
    color: var(--p-text-muted);
    font-size: 13px;
  }
`;
