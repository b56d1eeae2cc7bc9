import { css } from 'lit';

export const roomFinderStyles = css`
  :host {
    display: block;
  }

  .head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    margin-bottom: 6px;
  }

  h3 {
    margin: 0;
    font-size: 13px;
    font-weight: 600;
  }

  ul {
    display: flex;
    flex-direction: column;
    gap: 6px;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .room {
    display: flex;
    justify-content: space-between;
    width: 100%;
    min-height: 44px;
    padding: 6px 12px;
    text-align: left;
  }

  .room-name {
    overflow: hidden;
    font-weight: 600;
    text-overflow: ellipsis;
  }

  .meta {
    color: var(--p-text-muted);
    font-size: 12px;
    font-weight: 400;
  }

  .status {
    margin: 0;
    color: var(--p-text-muted);
    font-size: 13px;
  }
`;
