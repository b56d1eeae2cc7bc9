import { css } from 'lit';

export const identityFingerprintStyles = css`
  :host {
    display: block;
  }

  .label {
    margin: 0 0 4px;
    color: var(--p-text-muted);
    font-size: 12px;
    font-weight: 600;
  }

  .groups {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 10px;
    margin: 0;
    font-family: var(--p-mono);
    font-size: 17px;
    font-weight: 600;
    letter-spacing: 0.04em;
  }

  .full {
    margin: 6px 0 0;
    color: var(--p-text-muted);
    font-size: 12px;
  }

  .full[hidden] {
    display: none;
  }

  .full code {
    color: var(--p-text);
    font-family: var(--p-mono);
    overflow-wrap: anywhere;
    user-select: all;
  }

  button {
    margin-top: 4px;
  }
`;
