import { css } from 'lit';

export const peerListStyles = css`
  :host {
    display: block;
  }

  h2 {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 0 0 10px;
    color: var(--p-text-muted);
    font-size: 12px;
    font-weight: 600;
    letter-spacing: 0.06em;
    text-transform: uppercase;
  }

  .count {
    padding: 0 7px;
    border-radius: 999px;
    background: var(--p-surface-2);
    color: var(--p-text-muted);
    font-size: 12px;
    letter-spacing: 0;
  }

  ul {
    display: flex;
    flex-direction: column;
    gap: 2px;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  h2:focus {
    outline: none;
  }

  h2:focus-visible {
    outline: 2px solid var(--p-focus);
  }

  li,
  button.person {
    display: flex;
    align-items: center;
    gap: 10px;
    min-width: 0;
    padding: 6px 8px;
    border-radius: var(--p-radius-small);
  }

  li:has(button.person) {
    padding: 0;
  }

  button.person {
    justify-content: flex-start;
    width: 100%;
    min-height: 40px;
    border-color: transparent;
    background: transparent;
    text-align: left;
    font-weight: inherit;
  }

  button.person:disabled {
    cursor: not-allowed;
  }

  .error-text {
    margin: 8px 8px 0;
  }

  li.self {
    background: var(--p-surface-2);
  }

  .avatar {
    display: grid;
    flex: none;
    place-items: center;
    width: 28px;
    height: 28px;
    border-radius: 50%;
    background: hsl(var(--hue) 55% 48%);
    color: #fff;
    font-size: 13px;
    font-weight: 600;
  }

  .who {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }

  .name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-weight: 500;
  }

  .you,
  .typing {
    color: var(--p-text-muted);
    font-size: 12px;
  }

  .typing {
    color: var(--p-accent);
    font-style: italic;
  }

  .dots::after {
    display: inline-block;
    width: 1.2em;
    content: '…';
    animation: pulse 1.2s ease-in-out infinite;
  }

  @keyframes pulse {
    50% {
      opacity: 0.3;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .dots::after {
      animation: none;
    }
  }
`;
