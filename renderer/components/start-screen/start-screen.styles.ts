import { css } from 'lit';

export const startScreenStyles = css`
  :host {
    display: block;
    min-height: 100%;
    overflow-y: auto;
    background:
      radial-gradient(1200px 500px at 50% -200px, var(--p-accent-soft), transparent 70%),
      var(--p-bg);
  }

  main {
    max-width: 880px;
    margin: 0 auto;
    padding: 56px 24px 40px;
  }

  .brand {
    display: flex;
    align-items: center;
    gap: 16px;
    margin-bottom: 28px;
  }

  .logo {
    display: grid;
    place-items: center;
    width: 52px;
    height: 52px;
    border-radius: 14px;
    background: var(--p-accent);
    color: var(--p-accent-text);
    font-size: 26px;
    font-weight: 700;
    box-shadow: var(--p-shadow);
  }

  h1 {
    margin: 0;
    font-size: 28px;
    letter-spacing: -0.02em;
  }

  .tagline {
    margin: 2px 0 0;
    color: var(--p-text-muted);
  }

  .notice {
    margin: 0 0 20px;
    padding: 10px 14px;
    border-radius: var(--p-radius-small);
    background: var(--p-warn-soft);
    color: var(--p-warn-text);
  }

  .cards {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(300px, 1fr));
    gap: 20px;
    align-items: start;
  }

  .cards.single {
    grid-template-columns: minmax(0, 1fr);
  }

  main.guest {
    max-width: 520px;
  }

  .card {
    display: flex;
    flex-direction: column;
    gap: 14px;
    padding: 24px;
    border: 1px solid var(--p-border);
    border-radius: var(--p-radius);
    background: var(--p-surface);
    box-shadow: var(--p-shadow);
  }

  h2 {
    margin: 0;
    font-size: 18px;
  }

  .room-name {
    overflow-wrap: anywhere;
  }

  .hint {
    margin: -8px 0 4px;
    color: var(--p-text-muted);
    font-size: 14px;
  }

  .mono {
    font-family: var(--p-mono);
    font-size: 13px;
  }

  .field {
    display: flex;
    flex-direction: column;
    gap: 5px;
  }

  label {
    font-size: 13px;
    font-weight: 600;
  }

  .field-hint,
  .error-text {
    margin: 0;
    font-size: 13px;
  }

  .field-hint {
    color: var(--p-text-muted);
  }

  .form-error {
    margin: 0;
    padding: 10px 12px;
    border-radius: var(--p-radius-small);
    background: var(--p-danger-soft);
    color: var(--p-danger);
    font-weight: 500;
  }

  button[type='submit'] {
    min-height: 42px;
    margin-top: 4px;
    font-size: 15px;
  }
`;
