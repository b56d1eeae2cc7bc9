/**
 * The panel both identity answers of the join form stand in (identity-confirm: a room never seen;
 * identity-changed: a room whose certificate changed): a column of title, text and actions. Each
 * adds its own colours, which say how alarming the answer is.
 */
import { css } from 'lit';

export const identityPanelStyles = css`
  :host {
    display: block;
  }

  section {
    display: flex;
    flex-direction: column;
    gap: 10px;
    padding: 14px;
    border-radius: var(--p-radius-small);
  }

  h3 {
    margin: 0;
  }
`;
