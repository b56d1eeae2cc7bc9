/**
 * The start screen's part in trusting a room (desktop): a join refused with `confirm_identity`
 * turns into the question with the room's fingerprint (identity-confirm), one refused with
 * `identity_changed` into the warning with "Forget this room" (identity-changed). Holds that
 * state for the join form and renders it; the screen decides what the answers do.
 */
import { html, nothing } from 'lit';
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import type { ParleyBridge } from '../../../protocol/bridge';
import { describeError } from '../../bridges/bridge-error';
import { identityProblem, type IdentityProblem } from '../../bridges/identity-problem';
import type { ForgetState } from '../identity-changed/identity-changed';
import '../identity-changed/identity-changed';
import '../identity-confirm/identity-confirm';

export interface IdentityAnswers {
  /** Join again, pinned to this fingerprint (canonical full form). */
  trust(fingerprint: string): void;
  cancel(): void;
}

export class JoinIdentity implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  #problem: IdentityProblem | undefined;
  #forget: ForgetState = 'idle';
  #failure = '';

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  /** A screen taken off the page (a room was entered) starts afresh when it comes back. */
  hostDisconnected(): void {
    this.#problem = undefined;
  }

  /** True while a question is open: the form's own Join button steps aside for its answers. */
  get asking(): boolean {
    return this.#problem?.kind === 'confirm';
  }

  /** True while a changed identity stands: nothing joins that room until it is forgotten. */
  get blocked(): boolean {
    return this.#problem?.kind === 'changed' && this.#forget !== 'forgotten';
  }

  /** Takes over a join's rejection if it is about the room's identity; false for anything else. */
  accept(error: unknown): boolean {
    const problem = identityProblem(error);
    if (!problem) return false;
    this.#problem = problem;
    this.#forget = 'idle';
    this.#failure = '';
    this.#host.requestUpdate();
    if (problem.kind === 'confirm') {
      void this.#host.updateComplete.then(() =>
        this.#host.shadowRoot?.querySelector<HTMLElement>('identity-confirm')?.focus(),
      );
    }
    return true;
  }

  clear(): void {
    if (!this.#problem) return;
    this.#problem = undefined;
    this.#host.requestUpdate();
  }

  render(bridge: ParleyBridge | undefined, busy: boolean, answers: IdentityAnswers) {
    const problem = this.#problem;
    if (!problem) return nothing;
    if (problem.kind === 'confirm') {
      return html`<identity-confirm
        .roomName=${problem.roomName}
        .fingerprint=${problem.fingerprint}
        .busy=${busy}
        @identity-trust=${() => answers.trust(problem.fingerprint.full)}
        @identity-cancel=${answers.cancel}
      ></identity-confirm>`;
    }
    return this.#changed(problem, bridge);
  }

  #changed(
    problem: Extract<IdentityProblem, { kind: 'changed' }>,
    bridge: ParleyBridge | undefined,
  ): TemplateResult {
    return html`<identity-changed
      .message=${problem.message}
      .roomName=${problem.roomName ?? ''}
      .state=${this.#forget}
      .failure=${this.#failure}
      @identity-forget=${() => void this.#forgetRoom(bridge, problem.roomId)}
    ></identity-changed>`;
  }

  async #forgetRoom(bridge: ParleyBridge | undefined, roomId: string): Promise<void> {
    if (!bridge?.forgetRoom || this.#forget === 'forgetting') return;
    const problem = this.#problem;
    this.#forget = 'forgetting';
    this.#failure = '';
    this.#host.requestUpdate();
    try {
      await bridge.forgetRoom(roomId);
      if (this.#problem === problem) this.#forget = 'forgotten';
    } catch (error) {
      if (this.#problem === problem) {
        this.#forget = 'failed';
        this.#failure = describeError(error);
      }
    }
    this.#host.requestUpdate();
  }
}
