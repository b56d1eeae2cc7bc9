/**
 * The first screen: host a room or join one. In the browser guest page only the join form shows,
 * for the host that served the page, so a guest just picks a name (and a password if asked), with
 * a word on whether the connection is encrypted. On the desktop, a room never seen asks to
 * confirm its fingerprint first, and a room whose identity changed is refused until forgotten
 * (join-identity.ts). Remembers the last name, room and address through the preferences.
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ParleyBridge, Preferences, RoomSummary } from '../../../protocol/bridge';
import { DEFAULT_PORT } from '../../../protocol/wire/limits';
import { describeError } from '../../bridges/bridge-error';
import { pageTransport, type PageTransport } from '../../bridges/page-transport';
import { parseHostForm, parseJoinForm } from '../../form-schemas';
import type { FieldErrors, HostFormInput, JoinFormInput } from '../../form-schemas';
import { fetchHostInfo } from '../../room-info';
import type { HostInfo } from '../../room-info';
import { emit } from '../shared/events';
import type { ParleyEvent } from '../shared/events';
import { sharedStyles } from '../shared/shared.styles';
import { startScreenStyles } from './start-screen.styles';
import { formField, type FieldSpec } from './form-field';
import { JoinIdentity } from './join-identity';
import '../desktop-settings/desktop-settings';
import '../identity-transport-note/identity-transport-note';
import '../room-finder/room-finder';

type FormName = 'host' | 'join';

@customElement('start-screen')
export class StartScreen extends LitElement {
  static override styles = [sharedStyles, startScreenStyles];

  @property({ attribute: false }) bridge: ParleyBridge | undefined;
  /** Why the last room ended, or another word for the user; shown above the forms. */
  @property({ type: String }) notice = '';
  /** The browser page's own host (`location.host`): the only room a guest can join. */
  @property({ type: String, attribute: 'page-host' }) pageHost = '';
  /** The browser page's own scheme (`location.protocol`): `https:` means an encrypted room. */
  @property({ type: String, attribute: 'page-protocol' }) pageProtocol =
    globalThis.location?.protocol ?? '';
  @state() hostValues: HostFormInput = {
    roomName: '',
    name: '',
    password: '',
    port: String(DEFAULT_PORT),
  };
  @state() joinValues: JoinFormInput = { address: '', name: '', password: '' };
  @state() errors: Record<FormName, FieldErrors> = { host: {}, join: {} };
  @state() formError: { form: FormName; message: string } | undefined;
  @state() busy: FormName | undefined;
  @state() info: HostInfo | undefined;

  #preferences: Preferences | undefined;
  #touched = false;
  readonly #identity = new JoinIdentity(this);

  get #isGuest(): boolean {
    return this.bridge?.kind === 'browser';
  }

  get #guestTransport(): PageTransport {
    return pageTransport(this.pageProtocol, this.pageHost);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('bridge') && this.bridge) void this.#loadPreferences(this.bridge);
  }

  async #loadPreferences(bridge: ParleyBridge): Promise<void> {
    if (bridge.kind === 'browser') {
      void fetchHostInfo().then((info) => {
        if (this.bridge === bridge) this.info = info;
      });
    }
    let preferences: Preferences;
    try {
      preferences = await bridge.loadPreferences();
    } catch {
      return; // Nothing remembered is no reason to stop someone from joining.
    }
    if (this.bridge !== bridge) return;
    this.#preferences = preferences;
    // Never overwrite what the user started typing while the preferences were on their way.
    if (this.#touched) return;
    this.hostValues = {
      ...this.hostValues,
      roomName: preferences.roomName,
      name: preferences.name,
      port: String(preferences.port || DEFAULT_PORT),
    };
    this.joinValues = { ...this.joinValues, address: preferences.address, name: preferences.name };
  }

  protected override render(): TemplateResult {
    return html`
      <main class=${this.#isGuest ? 'guest' : ''}>
        <header class="brand">
          <div class="logo" aria-hidden="true">P</div>
          <div>
            <h1>Parley</h1>
            <p class="tagline">Chat with people on your network. No accounts, no cloud.</p>
          </div>
        </header>
        ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
        <div class="cards ${this.#isGuest ? 'single' : ''}">
          ${this.#isGuest ? this.#guestForm() : [this.#hostForm(), this.#joinForm()]}
        </div>
        ${this.#isGuest ? nothing : html`<desktop-settings .bridge=${this.bridge}></desktop-settings>`}
      </main>
    `;
  }

  #hostForm(): TemplateResult {
    return this.#formCard(
      'host',
      'Host a room',
      html`
        <p class="hint">
          Start a room on this computer. Others on your network join by its address.
        </p>
        ${this.#field('host', 'roomName', { label: 'Room name', placeholder: 'Design team' })}
        ${this.#field('host', 'name', { label: 'Your name', autocomplete: 'nickname' })}
        ${this.#field('host', 'password', {
          label: 'Password (optional)',
          type: 'password',
          autocomplete: 'new-password',
          hint: 'Leave empty for an open room.',
        })}
        ${this.#field('host', 'port', { label: 'Port', inputmode: 'numeric' })}
        ${this.#formErrorFor('host')} ${this.#submitButton('host', 'Host room', 'Starting…')}
      `,
    );
  }

  #joinForm(): TemplateResult {
    return this.#formCard(
      'join',
      'Join a room',
      html`
        <p class="hint">Pick a room on your network, or type the address the host shows.</p>
        <room-finder .bridge=${this.bridge} @room-picked=${this.#onRoomPicked}></room-finder>
        ${this.#field('join', 'address', { label: 'Address', placeholder: '192.168.1.20:7420' })}
        ${this.#field('join', 'name', { label: 'Your name', autocomplete: 'nickname' })}
        ${this.#field('join', 'password', {
          label: 'Password',
          type: 'password',
          autocomplete: 'off',
          hint: 'Only if the room has one.',
        })}
        ${this.#formErrorFor('join')}
        ${this.#identity.render(this.bridge, this.busy === 'join', {
          trust: this.#trustRoom,
          cancel: this.#cancelTrust,
        })}
        ${
          this.#identity.asking
            ? nothing
            : this.#submitButton('join', 'Join room', 'Joining…', this.#identity.blocked)
        }
      `,
    );
  }

  #guestForm(): TemplateResult {
    const info = this.info;
    const askPassword = info?.password !== false;
    const transport = this.#guestTransport;
    // The host refuses a password that crosses the network unencrypted; say so, send none.
    const noPassword = transport === 'cleartext';
    return this.#formCard(
      'join',
      html`Join ${info ? html`<span class="room-name">${info.room.name}</span>` : 'the room'}`,
      html`
        <p class="hint">
          On <span class="mono">${this.pageHost}</span>${info ? ` · ${peopleHere(info.peers)}` : ''}
        </p>
        <identity-transport-note .transport=${transport}></identity-transport-note>
        ${this.#field('join', 'name', { label: 'Your name', autocomplete: 'nickname' })}
        ${
          askPassword
            ? this.#field('join', 'password', {
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
        ${this.#formErrorFor('join')}
        ${this.#submitButton('join', 'Join room', 'Joining…', noPassword && info?.password === true)}
      `,
    );
  }

  /** One form card; its heading names the form for screen readers (aria-labelledby). */
  #formCard(
    form: FormName,
    title: string | TemplateResult,
    content: TemplateResult,
  ): TemplateResult {
    return html`
      <form
        id="${form}-form"
        class="card"
        novalidate
        aria-labelledby="${form}-title"
        @submit=${form === 'host' ? this.#submitHost : this.#submitJoin}
      >
        <h2 id="${form}-title">${title}</h2>
        ${content}
      </form>
    `;
  }

  /** The form's submit button, disabled while any form is busy or `blocked` holds. */
  #submitButton(form: FormName, label: string, busyLabel: string, blocked = false): TemplateResult {
    return html`
      <button class="primary" type="submit" ?disabled=${this.busy !== undefined || blocked}>
        ${this.busy === form ? busyLabel : label}
      </button>
    `;
  }

  #field(form: FormName, key: string, spec: FieldSpec): TemplateResult {
    const values = (form === 'host' ? this.hostValues : this.joinValues) as Record<string, string>;
    return formField({
      id: `${form}-${key}`,
      name: key,
      value: values[key] ?? '',
      error: this.errors[form][key],
      spec,
      onInput: (value) => this.#onInput(form, key, value),
    });
  }

  #formErrorFor(form: FormName): TemplateResult | typeof nothing {
    if (this.formError?.form !== form) return nothing;
    return html`<p class="form-error" role="alert">${this.formError.message}</p>`;
  }

  #onRoomPicked = (event: ParleyEvent<'room-picked'>): void => {
    const { address, password } = event.detail;
    this.#touched = true;
    this.joinValues = { ...this.joinValues, address };
    this.errors = { ...this.errors, join: { ...this.errors.join, address: undefined } };
    this.#identity.clear();
    // Straight to what is still missing: the name, or the password the room asks for.
    const next = !this.joinValues.name.trim() ? 'name' : password ? 'password' : undefined;
    this.#focusAfterRender(`join-${next ?? 'address'}`);
  };

  #onInput(form: FormName, key: string, value: string): void {
    this.#touched = true;
    if (form === 'host') this.hostValues = { ...this.hostValues, [key]: value };
    else this.joinValues = { ...this.joinValues, [key]: value };
    // Another address is another room: what was said about the last one no longer applies.
    if (form === 'join' && key === 'address') this.#identity.clear();
    // A corrected field stops complaining at once; the rest wait for the next submit.
    if (this.errors[form][key]) {
      this.errors = { ...this.errors, [form]: { ...this.errors[form], [key]: undefined } };
    }
  }

  #submitHost = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const bridge = this.bridge;
    if (!bridge || this.busy) return;
    const result = parseHostForm(this.hostValues);
    if (!this.#acceptErrors('host', result.ok ? {} : result.errors) || !result.ok) return;
    const { request } = result;
    this.#remember({ name: request.name, roomName: request.roomName, port: request.port });
    await this.#run('host', () => bridge.host(request));
  };

  #submitJoin = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (this.#identity.blocked || this.#identity.asking) return;
    await this.#join(undefined);
  };

  /** The person compared the fingerprint with the host's: join pinned to it. */
  #trustRoom = (fingerprint: string): void => {
    void this.#join(fingerprint);
  };

  #cancelTrust = (): void => {
    this.#identity.clear();
    this.#focusAfterRender('join-address');
  };

  async #join(fingerprint: string | undefined): Promise<void> {
    const bridge = this.bridge;
    if (!bridge || this.busy) return;
    const values = this.#isGuest ? { ...this.joinValues, address: this.pageHost } : this.joinValues;
    const result = parseJoinForm(
      this.#isGuest && this.#guestTransport === 'cleartext' ? { ...values, password: '' } : values,
    );
    if (!this.#acceptErrors('join', result.ok ? {} : result.errors) || !result.ok) return;
    const request = fingerprint === undefined ? result.request : { ...result.request, fingerprint };
    this.#remember(
      this.#isGuest ? { name: request.name } : { name: request.name, address: request.address },
    );
    await this.#run('join', () => bridge.join(request));
  }

  /** Shows field errors; returns true when there are none. */
  #acceptErrors(form: FormName, errors: FieldErrors): boolean {
    this.errors = { ...this.errors, [form]: errors };
    const firstInvalid = Object.keys(errors).find((key) => errors[key] !== undefined);
    if (firstInvalid === undefined) return true;
    this.formError = undefined;
    this.#focusAfterRender(`${form}-${firstInvalid}`);
    return false;
  }

  /** Focuses the input with this id once the render under way has put it on the page. */
  #focusAfterRender(id: string): void {
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)?.focus(),
    );
  }

  async #run(form: FormName, connect: () => Promise<RoomSummary>): Promise<void> {
    this.busy = form;
    this.formError = undefined;
    try {
      const summary = await connect();
      this.#identity.clear();
      emit(this, 'room-entered', { summary });
    } catch (error) {
      if (form === 'join' && this.#identity.accept(error)) return;
      this.#identity.clear();
      this.formError = { form, message: describeError(error) };
    } finally {
      this.busy = undefined;
    }
  }

  #remember(update: Partial<Preferences>): void {
    const bridge = this.bridge;
    if (!bridge) return;
    const fallback: Preferences = {
      name: '',
      roomName: '',
      address: '',
      port: DEFAULT_PORT,
      ...this.#preferences,
    };
    // Read again first: a setting saved elsewhere since this screen loaded must survive.
    // Forgetting preferences must never stand between a person and the room, so errors stay quiet.
    bridge
      .loadPreferences()
      .catch(() => fallback)
      .then((current) => {
        const preferences = { ...current, ...update };
        this.#preferences = preferences;
        return bridge.savePreferences(preferences);
      })
      .catch(() => undefined);
  }
}

function peopleHere(count: number): string {
  if (count === 0) return 'nobody here yet';
  return count === 1 ? '1 person here now' : `${count} people here now`;
}

declare global {
  interface HTMLElementTagNameMap {
    'start-screen': StartScreen;
  }
}
