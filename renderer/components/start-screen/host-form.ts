/** The desktop's form to start a room on this computer: its name, yours, a password, a port. */
import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { formCard, formError, submitButton } from './form-parts';
import type { FormContext } from './form-parts';

export function hostForm(form: FormContext): TemplateResult {
  return formCard(
    form,
    'Host a room',
    html`
      <p class="hint">Start a room on this computer. Others on your network join by its address.</p>
      ${form.field('roomName', { label: 'Room name', placeholder: 'Design team' })}
      ${form.field('name', { label: 'Your name', autocomplete: 'nickname' })}
      ${form.field('password', {
        label: 'Password (optional)',
        type: 'password',
        autocomplete: 'new-password',
        hint: 'Leave empty for an open room.',
      })}
      ${form.field('port', { label: 'Port', inputmode: 'numeric' })} ${formError(form)}
      ${submitButton(form, 'Host room', 'Starting…')}
    `,
  );
}
