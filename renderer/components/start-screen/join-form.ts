/**
 * The desktop's form to join a room: one picked from those found on the network (room-finder) or
 * an address typed in. While the room's identity is in question, its answer (join-identity.ts)
 * stands in the form and decides whether the form's own Join button shows.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { ParleyBridge } from '../../../protocol/bridge';
import type { ParleyEvent } from '../shared/events';
import { formCard, formError, submitButton } from './form-parts';
import type { FormContext } from './form-parts';
import type { IdentityAnswers, JoinIdentity } from './join-identity';
import '../room-finder/room-finder';

export interface JoinFormOptions {
  bridge: ParleyBridge | undefined;
  onRoomPicked: (event: ParleyEvent<'room-picked'>) => void;
  /** The join's part in trusting the room, and what the person's answers do. */
  identity: JoinIdentity;
  answers: IdentityAnswers;
}

export function joinForm(form: FormContext, options: JoinFormOptions): TemplateResult {
  const { identity } = options;
  return formCard(
    form,
    'Join a room',
    html`
      <p class="hint">Pick a room on your network, or type the address the host shows.</p>
      <room-finder .bridge=${options.bridge} @room-picked=${options.onRoomPicked}></room-finder>
      ${form.field('address', { label: 'Address', placeholder: '192.168.1.20:7420' })}
      ${form.field('name', { label: 'Your name', autocomplete: 'nickname' })}
      ${form.field('password', {
        label: 'Password',
        type: 'password',
        autocomplete: 'off',
        hint: 'Only if the room has one.',
      })}
      ${formError(form)}
      ${identity.render(options.bridge, form.busy === form.name, options.answers)}
      ${identity.asking ? nothing : submitButton(form, 'Join room', 'Joining…', identity.blocked)}
    `,
  );
}
