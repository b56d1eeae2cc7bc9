/**
 * The first screen: host a room or join one. In the browser guest page only the join form shows,
 * for the host that served the page, so a guest just picks a name (and a password if asked).
 * Remembers the last name, room and address through the bridge's preferences.
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { ParleyBridge, Preferences, RoomSummary } from '../../protocol/bridge';
import { DEFAULT_PORT } from '../../protocol/limits';
import { describeError } from '../bridges/bridge-error';
import { parseHostForm, parseJoinForm } from '../form-schemas';
import type { FieldErrors, HostFormInput, JoinFormInput } from '../form-schemas';
import { fetchHostInfo } from '../room-info';
import type { HostInfo } from '../room-info';
import { emit } from './events';
import type { ParleyEvent } from './events';
import { sharedStyles } from './shared-styles';
import { startScreenStyles } from './start-screen-styles';
import './desktop-settings';
import './room-finder';

type FormName = 'host' | 'join';

interface FieldSpec {
  label: string;
  type?: 'text' | 'password';
  autocomplete?: string;
  inputmode?: 'numeric';
  placeholder?: string;
  hint?: string;
}

export class StartScreen extends LitElement {
  static override properties = {
    bridge: { attribute: false },
    notice: { type: String },
    pageHost: { type: String, attribute: 'page-host' },
    hostValues: { state: true },
    joinValues: { state: true },
    errors: { state: true },
    formError: { state: true },
    busy: { state: true },
    info: { state: true },
  };

  static override styles = [sharedStyles, startScreenStyles];

  declare bridge: ParleyBridge | undefined;
  /** Why the last room ended, or another word for the user; shown above the forms. */
  declare notice: string;
  /** The browser page's own host (`location.host`): the only room a guest can join. */
  declare pageHost: string;
  declare hostValues: HostFormInput;
  declare joinValues: JoinFormInput;
  declare errors: Record<FormName, FieldErrors>;
  declare formError: { form: FormName; message: string } | undefined;
  declare busy: FormName | undefined;
  declare info: HostInfo | undefined;

  #preferences: Preferences | undefined;
  #touched = false;

  constructor() {
    super();
    this.bridge = undefined;
    this.notice = '';
    this.pageHost = '';
    this.hostValues = { roomName: '', name: '', password: '', port: String(DEFAULT_PORT) };
    this.joinValues = { address: '', name: '', password: '' };
    this.errors = { host: {}, join: {} };
    this.formError = undefined;
    this.busy = undefined;
    this.info = undefined;
  }

  get #isGuest(): boolean {
    return this.bridge?.kind === 'browser';
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
    return html`
      <form
        id="host-form"
        class="card"
        novalidate
        aria-labelledby="host-title"
        @submit=${this.#submitHost}
      >
        <h2 id="host-title">Host a room</h2>
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
        ${this.#formErrorFor('host')}
        <button class="primary" type="submit" ?disabled=${this.busy !== undefined}>
          ${this.busy === 'host' ? 'Starting…' : 'Host room'}
        </button>
      </form>
    `;
  }

  #joinForm(): TemplateResult {
    return html`
      <form
        id="join-form"
        class="card"
        novalidate
        aria-labelledby="join-title"
        @submit=${this.#submitJoin}
      >
        <h2 id="join-title">Join a room</h2>
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
        <button class="primary" type="submit" ?disabled=${this.busy !== undefined}>
          ${this.busy === 'join' ? 'Joining…' : 'Join room'}
        </button>
      </form>
    `;
  }

  #guestForm(): TemplateResult {
    const info = this.info;
    const askPassword = info?.password !== false;
    return html`
      <form
        id="join-form"
        class="card"
        novalidate
        aria-labelledby="join-title"
        @submit=${this.#submitJoin}
      >
        <h2 id="join-title">
          Join ${info ? html`<span class="room-name">${info.room.name}</span>` : 'the room'}
        </h2>
        <p class="hint">
          On <span class="mono">${this.pageHost}</span>${info ? ` · ${peopleHere(info.peers)}` : ''}
        </p>
        ${this.#field('join', 'name', { label: 'Your name', autocomplete: 'nickname' })}
        ${
          askPassword
            ? this.#field('join', 'password', {
                label: info?.password ? 'Password' : 'Password (if the room has one)',
                type: 'password',
                autocomplete: 'off',
              })
            : nothing
        }
        ${this.#formErrorFor('join')}
        <button class="primary" type="submit" ?disabled=${this.busy !== undefined}>
          ${this.busy === 'join' ? 'Joining…' : 'Join room'}
        </button>
      </form>
    `;
  }

  #field(form: FormName, key: string, spec: FieldSpec): TemplateResult {
    const values = (form === 'host' ? this.hostValues : this.joinValues) as Record<string, string>;
    const id = `${form}-${key}`;
    const error = this.errors[form][key];
    const describedBy = error ? `${id}-error` : spec.hint ? `${id}-hint` : undefined;
    return html`
      <div class="field">
        <label for=${id}>${spec.label}</label>
        <input
          id=${id}
          name=${key}
          type=${spec.type ?? 'text'}
          .value=${live(values[key] ?? '')}
          autocomplete=${ifDefined(spec.autocomplete)}
          inputmode=${ifDefined(spec.inputmode)}
          placeholder=${ifDefined(spec.placeholder)}
          spellcheck="false"
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${ifDefined(describedBy)}
          @input=${(event: Event) => this.#onInput(form, key, event)}
        />
        ${
          error
            ? html`<p id="${id}-error" class="error-text">${error}</p>`
            : spec.hint
              ? html`<p id="${id}-hint" class="field-hint">${spec.hint}</p>`
              : nothing
        }
      </div>
    `;
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
    // Straight to what is still missing: the name, or the password the room asks for.
    const next = !this.joinValues.name.trim() ? 'name' : password ? 'password' : undefined;
    void this.updateComplete.then(() => {
      const target = next ?? 'address';
      this.renderRoot.querySelector<HTMLInputElement>(`#join-${target}`)?.focus();
    });
  };

  #onInput(form: FormName, key: string, event: Event): void {
    this.#touched = true;
    const value = (event.target as HTMLInputElement).value;
    if (form === 'host') this.hostValues = { ...this.hostValues, [key]: value };
    else this.joinValues = { ...this.joinValues, [key]: value };
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
    const bridge = this.bridge;
    if (!bridge || this.busy) return;
    const values = this.#isGuest ? { ...this.joinValues, address: this.pageHost } : this.joinValues;
    const result = parseJoinForm(values);
    if (!this.#acceptErrors('join', result.ok ? {} : result.errors) || !result.ok) return;
    const { request } = result;
    this.#remember(
      this.#isGuest ? { name: request.name } : { name: request.name, address: request.address },
    );
    await this.#run('join', () => bridge.join(request));
  };

  /** Shows field errors; returns true when there are none. */
  #acceptErrors(form: FormName, errors: FieldErrors): boolean {
    this.errors = { ...this.errors, [form]: errors };
    const firstInvalid = Object.keys(errors).find((key) => errors[key] !== undefined);
    if (firstInvalid === undefined) return true;
    this.formError = undefined;
    void this.updateComplete.then(() => {
      this.renderRoot.querySelector<HTMLInputElement>(`#${form}-${firstInvalid}`)?.focus();
    });
    return false;
  }

  async #run(form: FormName, connect: () => Promise<RoomSummary>): Promise<void> {
    this.busy = form;
    this.formError = undefined;
    try {
      const summary = await connect();
      emit(this, 'room-entered', { summary });
    } catch (error) {
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

customElements.define('start-screen', StartScreen);

declare global {
  interface HTMLElementTagNameMap {
    'start-screen': StartScreen;
  }
}
