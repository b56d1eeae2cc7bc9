import { css } from 'lit';

export const connectionBannerStyles = css`
  :host {
    display: block;
  }

  .banner {
    display: flex;
    align-items: center;
    gap: 10px;
    padding: 8px 16px;
    border-bottom: 1px solid var(--p-border);
    font-size: 14px;
  }

  .info {
    background: var(--p-accent-soft);
  }

  .warn {
    background: var(--p-warn-soft);
    color: var(--p-warn-text);
  }

  .danger {
    background: var(--p-danger-soft);
    color: var(--p-danger);
  }

  .text {
    flex: 1;
    margin: 0;
  }

  .spinner {
    flex: none;
    width: 14px;
    height: 14px;
    border: 2px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: spin 0.9s linear infinite;
  }

  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
    }
  }
`;
