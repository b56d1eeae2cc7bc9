import { css } from 'lit';

export const invitePanelStyles = css`
  :host {
    display: block;
  }

  .identity {
    margin: 0 0 14px;
    padding: 12px 14px;
    border: 1px solid var(--p-border);
    border-radius: var(--p-radius);
    background: var(--p-surface);
  }

  .identity p {
    margin: 6px 0 0;
    color: var(--p-text-muted);
    font-size: 13px;
  }

  .certificate-note {
    margin: 0;
    color: var(--p-text-muted);
    font-size: 12px;
    line-height: 1.4;
    text-align: left;
  }

  ul {
    display: flex;
    flex-wrap: wrap;
    gap: 16px;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  li {
    flex: 1 1 320px;
    padding: 14px;
    border: 1px solid var(--p-border);
    border-radius: var(--p-radius);
    background: var(--p-surface);
  }

  h3 {
    margin: 0 0 10px;
    color: var(--p-text-muted);
    font-size: 13px;
    font-weight: 600;
  }

  .ways {
    display: grid;
    grid-template-columns: repeat(2, minmax(0, 1fr));
    gap: 14px;
  }

  figure {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 6px;
    margin: 0;
    text-align: center;
  }

  img {
    width: 132px;
    height: 132px;
    padding: 6px;
    border-radius: 8px;
    background: #fff;
    image-rendering: pixelated;
  }

  figcaption {
    font-size: 13px;
    font-weight: 600;
  }

  .link {
    display: flex;
    align-items: center;
    gap: 4px;
    max-width: 100%;
  }

  code {
    overflow: hidden;
    font-family: var(--p-mono);
    font-size: 12px;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
`;
