import { css } from 'lit';

export const copyButtonStyles = css`
  :host {
    display: inline-flex;
  }

  button {
    border-radius: 999px;
  }

  input {
    width: auto;
    min-width: 16ch;
    padding: 2px 8px;
    font-family: var(--p-mono);
    font-size: 12px;
  }
`;
