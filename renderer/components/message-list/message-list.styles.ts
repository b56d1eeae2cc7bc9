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
