/** The look of the app's modal dialogs (native <dialog>, opened with showModal). */
import { css } from 'lit';

export const dialogStyles = css`
  dialog {
    width: min(460px, calc(100vw - 32px));
    max-height: min(80vh, 640px);
    padding: 18px 20px 20px;
    overflow-y: auto;
    border: 1px solid var(--p-border);
    border-radius: var(--p-radius);
    background: var(--p-surface);
    box-shadow: 0 12px 40px rgb(16 24 40 / 24%);
    color: var(--p-text);
  }

  dialog::backdrop {
    background: rgb(16 18 23 / 45%);
  }

  .dialog-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 12px;
    margin-bottom: 12px;
  }

  h2 {
    margin: 0;
    font-size: 17px;
  }

  label {
    display: block;
    margin: 12px 0 4px;
    font-size: 14px;
    font-weight: 500;
  }

  .optional {
    color: var(--p-text-muted);
    font-weight: 400;
  }

  .field-error {
    margin: 4px 0 0;
    color: var(--p-danger);
    font-size: 13px;
  }

  .actions {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
    margin-top: 16px;
  }

  .error-text {
    margin: 12px 0 0;
  }
`;
