/**
 * What the start screen remembers between runs, through the bridge's preferences: the last name,
 * room, port and address. What arrives never overwrites what the person started typing, and
 * saving keeps whatever else was saved since (a setting changed in desktop-settings).
 */
import type { ParleyBridge, Preferences } from '../../../protocol/bridge';
import { DEFAULT_PORT } from '../../../protocol/wire/limits';

export class RememberedPreferences {
  readonly #host: { readonly bridge: ParleyBridge | undefined };
  readonly #fill: (preferences: Preferences) => void;
  #preferences: Preferences | undefined;
  #touched = false;

  /** `fill` puts loaded preferences into the forms; `host.bridge` is the bridge in use. */
  constructor(
    host: { readonly bridge: ParleyBridge | undefined },
    fill: (preferences: Preferences) => void,
  ) {
    this.#host = host;
    this.#fill = fill;
  }

  /** The person typed or picked something: preferences still on their way must not replace it. */
  touch(): void {
    this.#touched = true;
  }

  async load(bridge: ParleyBridge): Promise<void> {
    let preferences: Preferences;
    try {
      preferences = await bridge.loadPreferences();
    } catch {
      return; // Nothing remembered is no reason to stop someone from joining.
    }
    if (this.#host.bridge !== bridge) return;
    this.#preferences = preferences;
    // Never overwrite what the user started typing while the preferences were on their way.
    if (this.#touched) return;
    this.#fill(preferences);
  }

  remember(update: Partial<Preferences>): void {
    const bridge = this.#host.bridge;
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
