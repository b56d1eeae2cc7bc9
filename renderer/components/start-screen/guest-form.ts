/**
 * The guest page's only form: join the room of the host that served the page. A guest picks a
 * name (and a password if the room asks for one), told whether the connection is encrypted; the
 * host's public info names the room and says how many are in it.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { PageTransport } from '../../bridges/page-transport';
import type { JoinFormInput } from '../../form-schemas';
import type { HostInfo } from '../../room-info';
import { formCard, formError, submitButton } from './form-parts';
import type { FormContext } from './form-parts';
import '../identity-transport-note/identity-transport-note';

export interface GuestFormOptions {
  /** The page's own host: the room a guest joins. */
  pageHost: string;
  transport: PageTransport;
  /** The host's public info, once it has arrived. */
  info: HostInfo | undefined;
}

export function guestForm(form: FormContext, options: GuestFormOptions): TemplateResult {
  const { pageHost, transport, info } = options;
  const askPassword = info?.password !== false;
  // The host refuses a password that crosses the network unencrypted; say so, send none.
  const noPassword = transport === 'cleartext';
  return formCard(
    form,
    html`Join ${info ? html`<span class="room-name">${info.room.name}</span>` : 'the room'}`,
    html`
      <p class="hint">
        On <span class="mono">${pageHost}</span>${info ? ` · ${peopleHere(info.peers)}` : ''}
      </p>
      <identity-transport-note .transport=${transport}></identity-transport-note>
      ${form.field('name', { label: 'Your name', autocomplete: 'nickname' })}
      ${
        askPassword
          ? form.field('password', {
              label: info?.password ? 'Password' : 'Password (if the room has one)',
              type: 'password',
              autocomplete: 'off',
              disabled: noPassword,
              ...(noPassword && {
                hint: 'Not available here: passwords are never sent over an unencrypted connection.',
              }),
            })
          : nothing
      }
      ${formError(form)}
      ${submitButton(form, 'Join room', 'Joining…', noPassword && info?.password === true)}
    `,
  );
}

/** What a guest's join asks for: the page's own host, and no password over cleartext. */
export function guestJoinInput(
  values: JoinFormInput,
  pageHost: string,
  transport: PageTransport,
): JoinFormInput {
  return { ...values, address: pageHost, ...(transport === 'cleartext' && { password: '' }) };
}

function peopleHere(count: number): string {
  if (count === 0) return 'nobody here yet';
  return count === 1 ? '1 person here now' : `${count} people here now`;
}
