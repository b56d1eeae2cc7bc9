import { css } from 'lit';

export const identityConfirmStyles = css`
  section {
    border: 1px solid var(--p-accent);
    background: var(--p-accent-soft);
  }

  section:focus {
    outline: none;
  }

  h3 {
    font-size: 15px;
  }

  p {
    margin: 0;
    font-size: 14px;
  }

  .room-name {
    font-weight: 600;
    overflow-wrap: anywhere;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
`;
