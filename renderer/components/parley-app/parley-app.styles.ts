import { css } from 'lit';

export const parleyAppStyles = css`
  :host {
    display: block;
    height: 100%;
  }

  start-screen,
  room-view {
    height: 100%;
  }
`;
