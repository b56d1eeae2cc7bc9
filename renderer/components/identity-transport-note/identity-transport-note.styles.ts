import { css } from 'lit';

export const identityTransportNoteStyles = css`
  :host {
    display: block;
  }

  .note {
    margin: 0;
    padding: 10px 12px;
    border-radius: var(--p-radius-small);
    font-size: 13px;
    line-height: 1.45;
  }

  .note strong {
    display: block;
    margin-bottom: 2px;
    font-size: 14px;
  }

  .encrypted,
  .loopback {
    background: var(--p-surface-2);
    color: var(--p-text-muted);
  }

  .encrypted strong {
    color: var(--p-ok);
  }

  .cleartext {
    border: 2px solid var(--p-danger);
    background: var(--p-danger-soft);
    color: var(--p-danger);
  }
`;
