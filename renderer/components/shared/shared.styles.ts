/** Styles every component shares: controls, focus rings, and text only screen readers see. */
import { css } from 'lit';

export const sharedStyles = css`
  :host {
    font-family: var(--p-font);
    color: var(--p-text);
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  button,
  input,
  textarea {
    font: inherit;
    color: inherit;
  }

  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    min-height: 36px;
    padding: 0 14px;
    border: 1px solid var(--p-border);
    border-radius: var(--p-radius-small);
    background: var(--p-surface);
    cursor: pointer;
    font-weight: 500;
    white-space: nowrap;
    transition:
      background-color 120ms ease,
      border-color 120ms ease;
  }

  button:hover:not(:disabled) {
    background: var(--p-surface-2);
  }

  button:disabled {
    cursor: default;
    opacity: 0.55;
  }

  button.primary {
    background: var(--p-accent);
    border-color: var(--p-accent);
    color: var(--p-accent-text);
  }

  button.primary:hover:not(:disabled) {
    background: var(--p-accent-hover);
    border-color: var(--p-accent-hover);
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

  button.quiet {
    border-color: transparent;
    background: transparent;
  }

  button.small {
    min-height: 28px;
    padding: 0 10px;
    font-size: 13px;
  }

  input,
  textarea {
    width: 100%;
    padding: 8px 10px;
    border: 1px solid var(--p-border);
    border-radius: var(--p-radius-small);
    background: var(--p-surface);
  }

  input[aria-invalid='true'],
  textarea[aria-invalid='true'] {
    border-color: var(--p-danger);
  }

  :focus-visible {
    outline: 2px solid var(--p-focus);
    outline-offset: 2px;
  }

  input:focus-visible,
  textarea:focus-visible {
    outline-offset: 0;
    border-color: var(--p-focus);
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  .error-text {
    color: var(--p-danger);
    font-size: 13px;
  }
`;
