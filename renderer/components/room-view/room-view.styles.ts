import { css, unsafeCSS } from 'lit';

/** Below this width the conversations and people move into a drawer the header opens. */
export const NARROW = '(max-width: 720px)';

export const roomViewStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    height: 100%;
    background: var(--p-bg);
  }

  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 12px 20px;
    padding: 12px 20px;
    border-bottom: 1px solid var(--p-border);
    background: var(--p-surface);
  }

  .title {
    flex: 1 1 200px;
    min-width: 0;
  }

  h1 {
    margin: 0;
    overflow: hidden;
    font-size: 18px;
    letter-spacing: -0.01em;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .subtitle {
    margin: 0;
    color: var(--p-text-muted);
    font-size: 13px;
  }

  button.link {
    min-height: 0;
    padding: 0;
    border: 0;
    background: none;
    color: inherit;
    font-weight: inherit;
    text-decoration: underline dotted;
    text-underline-offset: 3px;
  }

  button.link:hover:not(:disabled) {
    background: none;
    color: var(--p-text);
  }

  .drawer-toggle {
    position: relative;
    display: none;
    width: 40px;
    min-height: 40px;
    padding: 0;
  }

  .drawer-toggle svg {
    width: 20px;
    height: 20px;
    fill: none;
    stroke: currentColor;
    stroke-linecap: round;
    stroke-width: 2;
  }

  .drawer-toggle .dot {
    position: absolute;
    top: 7px;
    right: 6px;
    width: 9px;
    height: 9px;
    border: 2px solid var(--p-surface);
    border-radius: 50%;
    background: var(--p-accent);
  }

  .badge {
    color: var(--p-ok);
    font-weight: 600;
  }

  .where {
    display: flex;
    flex-direction: column;
    gap: 8px;
    min-width: 0;
  }

  .addresses {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .addresses li {
    display: flex;
    align-items: center;
    gap: 2px;
    padding: 2px 2px 2px 10px;
    border: 1px solid var(--p-border);
    border-radius: 999px;
    background: var(--p-surface-2);
  }

  code {
    font-family: var(--p-mono);
    font-size: 13px;
    user-select: all;
  }

  .addresses li code {
    padding-right: 2px;
  }

  invite-panel {
    flex: none;
    max-height: 50vh;
    padding: 14px 20px;
    overflow-y: auto;
    border-bottom: 1px solid var(--p-border);
    background: var(--p-bg);
  }

  .confirm {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    font-size: 14px;
  }

  .body {
    position: relative;
    display: grid;
    flex: 1;
    grid-template-columns: 248px minmax(0, 1fr);
    min-height: 0;
  }

  aside {
    display: flex;
    flex-direction: column;
    gap: 18px;
    padding: 16px 12px;
    overflow-y: auto;
    border-right: 1px solid var(--p-border);
    background: var(--p-surface);
  }

  .chat {
    min-height: 0;
  }

  button.search svg {
    width: 20px;
    height: 20px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
  }

  /* Narrow screens: the conversations and people live in a drawer the header's button opens. */
  @media ${unsafeCSS(NARROW)} {
    .body {
      grid-template-columns: minmax(0, 1fr);
    }

    aside {
      position: absolute;
      z-index: 3;
      inset: 0 auto 0 0;
      display: none;
      width: min(320px, 86vw);
      box-shadow: var(--p-shadow);
    }

    aside.open {
      display: flex;
    }

    .scrim {
      position: absolute;
      z-index: 2;
      inset: 0;
      background: rgb(16 18 23 / 40%);
    }

    .drawer-toggle {
      display: inline-flex;
    }

    header {
      padding: 10px 14px;
    }
  }
`;
