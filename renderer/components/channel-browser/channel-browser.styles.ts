import { css } from 'lit';

export const channelBrowserStyles = css`
  .channels {
    display: flex;
    flex-direction: column;
    gap: 2px;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  li {
    display: flex;
    align-items: center;
    gap: 12px;
    padding: 8px 4px;
    border-bottom: 1px solid var(--p-border);
  }

  li:last-child {
    border-bottom: 0;
  }

  .about {
    display: flex;
    flex: 1;
    flex-direction: column;
    min-width: 0;
  }

  .name {
    overflow: hidden;
    font-weight: 600;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .topic {
    overflow: hidden;
    color: var(--p-text-muted);
    font-size: 13px;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
`;
