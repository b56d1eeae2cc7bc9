import { css } from 'lit';

export const messageListStyles = css`
  :host {
    position: relative;
    display: flex;
    flex-direction: column;
    min-height: 0;
  }

  lit-virtualizer {
    flex: 1;
    min-height: 0;
    height: 100%;
    padding: 0 4px;
  }

  lit-virtualizer:focus-visible {
    outline-offset: -2px;
  }

  .row {
    width: 100%;
    padding: 0 16px;
  }

  .edge {
    padding: 20px 16px 8px;
    color: var(--p-text-muted);
    font-size: 13px;
    text-align: center;
  }

  .edge strong {
    color: var(--p-text);
  }

  .day {
    display: flex;
    align-items: center;
    gap: 12px;
    padding-top: 16px;
    padding-bottom: 6px;
    color: var(--p-text-muted);
    font-size: 12px;
    font-weight: 600;
  }

  .day::before,
  .day::after {
    flex: 1;
    height: 1px;
    background: var(--p-border);
    content: '';
  }

  .presence {
    padding-top: 4px;
    padding-bottom: 4px;
    color: var(--p-text-muted);
    font-size: 13px;
    text-align: center;
  }

  .presence .name {
    color: var(--p-text);
    font-weight: 500;
  }

  .msg {
    display: flex;
    gap: 10px;
    padding-top: 10px;
  }

  .msg.grouped {
    padding-top: 2px;
  }

  .msg.own {
    flex-direction: row-reverse;
  }

  .avatar,
  .avatar-space {
    flex: none;
    width: 32px;
  }

  .avatar {
    display: grid;
    place-items: center;
    height: 32px;
    border-radius: 50%;
    background: hsl(var(--hue) 55% 48%);
    color: #fff;
    font-size: 14px;
    font-weight: 600;
  }

  .content {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    min-width: 0;
    max-width: min(72ch, 78%);
  }

  .own .content {
    align-items: flex-end;
  }

  .meta {
    display: flex;
    align-items: baseline;
    gap: 8px;
    margin: 0 4px 3px;
    font-size: 13px;
  }

  .author {
    font-weight: 600;
  }

  time {
    color: var(--p-text-muted);
    font-size: 12px;
    font-variant-numeric: tabular-nums;
  }

  .bubble {
    position: relative;
    max-width: 100%;
    padding: 7px 12px;
    border: 1px solid var(--p-border);
    border-radius: 4px 14px 14px 14px;
    background: var(--p-bubble);
  }

  .own .bubble {
    border-color: var(--p-own-bubble);
    border-radius: 14px 4px 14px 14px;
    background: var(--p-own-bubble);
    color: var(--p-own-text);
  }

  .bubble.deleted {
    border-style: dashed;
    background: transparent;
    color: var(--p-text-muted);
    font-style: italic;
  }

  .grouped .bubble {
    border-radius: 14px;
  }

  .text {
    margin: 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  .text > :first-child {
    margin-top: 0;
  }

  .text > :last-child {
    margin-bottom: 0;
  }

  .text p,
  .text ul,
  .text ol,
  .text blockquote,
  .text pre {
    margin: 0.35em 0;
  }

  .text ul,
  .text ol {
    padding-inline-start: 1.4em;
  }

  .text blockquote {
    padding-inline-start: 10px;
    border-inline-start: 3px solid currentColor;
    opacity: 0.85;
  }

  .text code {
    padding: 1px 4px;
    border-radius: 4px;
    background: rgb(127 127 127 / 16%);
    font-family: var(--p-mono);
    font-size: 0.92em;
  }

  /* Code keeps its whitespace and scrolls sideways rather than wrapping. */
  .text pre {
    max-width: 100%;
    padding: 8px 10px;
    overflow-x: auto;
    border-radius: 6px;
    background: rgb(127 127 127 / 14%);
    white-space: pre;
  }

  .text pre code {
    padding: 0;
    background: none;
  }

  .edited {
    margin-inline-start: 6px;
    font-size: 12px;
    opacity: 0.7;
  }

  .quote {
    display: flex;
    gap: 6px;
    min-height: 0;
    max-width: 100%;
    margin: 0 4px 3px;
    padding: 2px 8px;
    overflow: hidden;
    border: none;
    border-inline-start: 3px solid var(--p-accent);
    border-radius: 4px;
    background: var(--p-surface-2);
    color: var(--p-text-muted);
    font-size: 13px;
    font-weight: 400;
    text-align: start;
  }

  .quote-author {
    flex: none;
    color: var(--p-text);
    font-weight: 600;
  }

  .quote-text {
    overflow: hidden;
    text-overflow: ellipsis;
  }

  .files {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin-top: 6px;
  }

  .files:first-child {
    margin-top: 0;
  }

  .image {
    display: block;
    min-height: 0;
    padding: 0;
    overflow: hidden;
    border-radius: 8px;
    background: var(--p-surface-2);
  }

  .image img {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: cover;
  }

  .file {
    display: flex;
    align-items: center;
    gap: 10px;
    min-width: 0;
    max-width: 100%;
    padding: 8px 10px;
    border: 1px solid var(--p-border);
    border-radius: 8px;
    background: var(--p-surface);
    color: var(--p-text);
  }

  .file-icon {
    flex: none;
    width: 24px;
    height: 24px;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.6;
  }

  .file-about {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }

  .file-name {
    overflow: hidden;
    font-weight: 600;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .file-meta {
    color: var(--p-text-muted);
    font-size: 12px;
  }

  a.download {
    display: inline-flex;
    align-items: center;
    min-height: 28px;
    padding: 0 10px;
    border: 1px solid var(--p-border);
    border-radius: var(--p-radius-small);
    color: inherit;
    font-size: 13px;
    font-weight: 500;
    text-decoration: none;
  }

  .reactions {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    margin: 4px 2px 0;
  }

  .reaction {
    position: relative;
    min-height: 26px;
    padding: 0 8px;
    border-radius: 999px;
    font-size: 13px;
  }

  .reaction.mine {
    border-color: var(--p-accent);
    background: var(--p-accent-soft);
  }

  .reaction .count {
    font-variant-numeric: tabular-nums;
  }

  .reaction .who {
    position: absolute;
    bottom: calc(100% + 4px);
    left: 50%;
    z-index: 2;
    display: none;
    padding: 4px 8px;
    border-radius: 6px;
    background: var(--p-text);
    color: var(--p-bg);
    font-size: 12px;
    transform: translateX(-50%);
    pointer-events: none;
  }

  .reaction:hover .who,
  .reaction:focus-visible .who {
    display: block;
  }

  .msg {
    position: relative;
  }

  /* Shown on hover and on keyboard focus; there all along on screens without hover. */
  .actions {
    position: absolute;
    top: 0;
    right: 16px;
    display: flex;
    gap: 2px;
    padding: 2px;
    border: 1px solid var(--p-border);
    border-radius: 8px;
    background: var(--p-surface);
    box-shadow: var(--p-shadow);
    opacity: 0;
    pointer-events: none;
  }

  .own .actions {
    right: auto;
    left: 16px;
  }

  .msg:hover .actions,
  .msg:focus-within .actions {
    opacity: 1;
    pointer-events: auto;
  }

  @media (hover: none) {
    .actions {
      position: static;
      align-self: flex-start;
      opacity: 0.8;
      pointer-events: auto;
      box-shadow: none;
    }
  }

  .actions button {
    min-width: 28px;
    padding: 0 6px;
  }

  .highlight .bubble {
    outline: 2px solid var(--p-focus);
    outline-offset: 2px;
  }

  .text a {
    color: inherit;
    text-decoration: underline;
    text-underline-offset: 2px;
  }

  .mention {
    padding: 0 2px;
    border-radius: 4px;
    background: var(--p-accent-soft);
    color: var(--p-accent);
    font-weight: 600;
  }

  .own .mention {
    background: rgb(255 255 255 / 20%);
    color: inherit;
  }

  .mention.me {
    background: var(--p-warn-soft);
    color: var(--p-warn-text);
  }

  .side-time {
    align-self: center;
    visibility: hidden;
  }

  .msg:hover .side-time,
  .msg:focus-within .side-time {
    visibility: visible;
  }

  .pending .bubble {
    opacity: 0.65;
  }

  .failed .bubble {
    border-color: var(--p-danger);
    background: var(--p-danger-soft);
    color: var(--p-text);
  }

  .status {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 3px 4px 0;
    color: var(--p-text-muted);
    font-size: 12px;
  }

  .failed .status {
    color: var(--p-danger);
    font-weight: 500;
  }

  .jump {
    position: absolute;
    bottom: 12px;
    left: 50%;
    transform: translateX(-50%);
    border-color: var(--p-accent);
    border-radius: 999px;
    background: var(--p-accent);
    color: var(--p-accent-text);
    box-shadow: var(--p-shadow);
  }

  .jump:hover:not(:disabled) {
    background: var(--p-accent-hover);
  }
`;
