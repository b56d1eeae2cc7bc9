/**
 * The desktop app's own settings (notifications, keeping a hosted room in the tray), saved with
 * the other preferences through the bridge. The browser guest page has neither, so it shows none.
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ParleyBridge, Preferences } from '../../../protocol/bridge';
import { describeError } from '../../bridges/bridge-error';
import { sharedStyles } from '../shared/shared.styles';
import { desktopSettingsStyles } from './desktop-settings.styles';

type Toggle = 'notifications' | 'keepHostingInTray';

@customElement('desktop-settings')
export class DesktopSettings extends LitElement {
  static override styles = [sharedStyles, desktopSettingsStyles];

  @property({ attribute: false }) bridge: ParleyBridge | undefined;
  @state() preferences: Preferences | undefined;
  @state() error = '';

  protected override updated(changed: PropertyValues<this>): void {
    const bridge = this.bridge;
    if (!changed.has('bridge') || bridge?.kind !== 'desktop') return;
    bridge.loadPreferences().then(
      (preferences) => {
        if (this.bridge === bridge) this.preferences = preferences;
      },
      (error: unknown) => (this.error = describeError(error)),
    );
  }

  protected override render(): TemplateResult | typeof nothing {
    if (this.bridge?.kind !== 'desktop' || !this.preferences) return nothing;
    return html`
      <details>
        <summary>Settings</summary>
        <div class="options">
          ${this.#toggle(
            'notifications',
            'Notify me of new messages',
            'Mentions of your name always notify.',
            true,
          )}
          ${this.#toggle(
            'keepHostingInTray',
            'Keep hosting when the window is closed',
            'The room stays open from the tray icon until you quit.',
            true,
          )}
          ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
        </div>
      </details>
    `;
  }

  #toggle(key: Toggle, label: string, hint: string, fallback: boolean): TemplateResult {
    const checked = this.preferences?.[key] ?? fallback;
    return html`<label>
      <input
        type="checkbox"
        .checked=${checked}
        @change=${(event: Event) => this.#save(key, event)}
      />
      <span>${label}<span class="hint">${hint}</span></span>
    </label>`;
  }

  async #save(key: Toggle, event: Event): Promise<void> {
    const bridge = this.bridge;
    if (!bridge || !this.preferences) return;
    const checked = (event.target as HTMLInputElement).checked;
    // Fresh from the bridge, so a name saved by the start screen meanwhile is not overwritten.
    try {
      const current = await bridge.loadPreferences();
      const next = { ...current, [key]: checked };
      await bridge.savePreferences(next);
      this.preferences = next;
      this.error = '';
    } catch (error) {
      this.error = describeError(error);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'desktop-settings': DesktopSettings;
  }
}
