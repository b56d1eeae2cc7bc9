/**
 * The first screen: host a room or join one (host-form.ts, join-form.ts). In the browser guest
 * page only the guest's join form shows (guest-form.ts), for the host that served the page. On
 * the desktop, a room never seen asks to confirm its fingerprint first, and a room whose identity
 * changed is refused until forgotten (join-identity.ts). The screen holds what the forms show,
 * connects through the bridge (one form at a time) and remembers the last name, room and address
 * (remembered-preferences.ts).
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
import { formField } from './form-parts';
import type { FieldSpec, FormContext, FormName } from './form-parts';
import { guestForm, guestJoinInput } from './guest-form';
import { hostForm } from './host-form';
import { joinForm } from './join-form';
import { JoinIdentity } from './join-identity';
import { OpenedInvites } from './opened-invites';
import { RememberedPreferences } from './remembered-preferences';
import '../desktop-settings/desktop-settings';

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

  readonly #identity = new JoinIdentity(this);
  readonly #remembered = new RememberedPreferences(this, (preferences) => this.#fill(preferences));
  /** The last invite the app was opened with: it wins over the remembered address. */
  #openedInvite: string | undefined;

  constructor() {
    super();
    new OpenedInvites(this, (invite) => this.#onInviteOpened(invite));
  }

  get #isGuest(): boolean {
    return this.bridge?.kind === 'browser';
  }

  get #guestTransport(): PageTransport {
    return pageTransport(this.pageProtocol, this.pageHost);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('bridge') && this.bridge) this.#load(this.bridge);
  }

  #load(bridge: ParleyBridge): void {
    if (bridge.kind === 'browser') {
      void fetchHostInfo().then((info) => {
        if (this.bridge === bridge) this.info = info;
      });
    }
    void this.#remembered.load(bridge);
  }

  #fill(preferences: Preferences): void {
    this.hostValues = {
      ...this.hostValues,
      roomName: preferences.roomName,
      name: preferences.name,
      port: String(preferences.port || DEFAULT_PORT),
    };
    const address = this.#openedInvite ?? preferences.address;
    this.joinValues = { ...this.joinValues, address, name: preferences.name };
  }

  /**
   * Opened with an invite link: into the join form. The remembered name may still be on its way
   * and is still welcome (#fill keeps the invite as the address).
   */
  #onInviteOpened(invite: string): void {
    this.#openedInvite = invite;
    this.#useAddress(invite, false);
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
        <div class="cards ${this.#isGuest ? 'single' : ''}">${this.#forms()}</div>
        ${this.#isGuest ? nothing : html`<desktop-settings .bridge=${this.bridge}></desktop-settings>`}
      </main>
    `;
  }

  #forms(): TemplateResult | TemplateResult[] {
    if (this.#isGuest) {
      return guestForm(this.#form('join'), {
        pageHost: this.pageHost,
        transport: this.#guestTransport,
        info: this.info,
      });
    }
    return [
      hostForm(this.#form('host')),
      joinForm(this.#form('join'), {
        bridge: this.bridge,
        onRoomPicked: this.#onRoomPicked,
        identity: this.#identity,
        answers: { trust: this.#trustRoom, cancel: this.#cancelTrust },
      }),
    ];
  }

  #form(name: FormName): FormContext {
    return {
      name,
      busy: this.busy,
      error: this.formError?.form === name ? this.formError.message : undefined,
      onSubmit: name === 'host' ? this.#submitHost : this.#submitJoin,
      field: (key, spec) => this.#field(name, key, spec),
    };
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

  #onRoomPicked = (event: ParleyEvent<'room-picked'>): void => {
    this.#remembered.touch();
    this.#useAddress(event.detail.address, event.detail.password);
  };

  /** Puts an address in the join form and the focus on what is still missing. */
  #useAddress(address: string, password: boolean): void {
    this.joinValues = { ...this.joinValues, address };
    this.errors = { ...this.errors, join: { ...this.errors.join, address: undefined } };
    this.#identity.clear();
    // Straight to what is still missing: the name, or the password the room asks for.
    const next = !this.joinValues.name.trim() ? 'name' : password ? 'password' : undefined;
    this.#focusAfterRender(`join-${next ?? 'address'}`);
  }

  #onInput(form: FormName, key: string, value: string): void {
    this.#remembered.touch();
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
    this.#remembered.remember({
      name: request.name,
      roomName: request.roomName,
      port: request.port,
    });
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
    const result = parseJoinForm(
      this.#isGuest
        ? guestJoinInput(this.joinValues, this.pageHost, this.#guestTransport)
        : this.joinValues,
    );
    if (!this.#acceptErrors('join', result.ok ? {} : result.errors) || !result.ok) return;
    const request = fingerprint === undefined ? result.request : { ...result.request, fingerprint };
    // A guest's address is the page's: remembering it would overwrite the desktop's last one.
    this.#remembered.remember(
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
}

declare global {
  interface HTMLElementTagNameMap {
    'start-screen': StartScreen;
  }
}
