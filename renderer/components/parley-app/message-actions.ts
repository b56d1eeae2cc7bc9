/**
 * What the person does to the conversation on screen that only needs the bridge: send (with
 * files, as a reply), retry, type, edit, react, mute, and the files' transfers. Each failure is
 * said under the composer.
 */
import type { ParleyBridge } from '../../../protocol/bridge';
import { describeError } from '../../bridges/bridge-error';
import { indexOfSeq } from '../../conversation-log';
import { logOf } from '../../room-state';
import type { RoomState } from '../../room-state';

export interface MessageActionsHost {
  bridge(): ParleyBridge | undefined;
  state(): RoomState;
  showError(message: string): void;
  clearError(): void;
}

export function listenForMessageActions(target: HTMLElement, host: MessageActionsHost): void {
  /** Runs `request` with the bridge (when there is one); a failure is said with `prefix`. */
  const run = (request: (bridge: ParleyBridge) => Promise<unknown> | undefined, prefix = '') => {
    const bridge = host.bridge();
    if (!bridge) return;
    request(bridge)?.catch((error: unknown) =>
      host.showError(prefix ? `${prefix} ${describeError(error)}` : describeError(error)),
    );
  };

  target.addEventListener('send-message', (event) => {
    const { text, replyTo } = event.detail;
    host.clearError();
    run((bridge) =>
      bridge.send({ conv: host.state().current, text, ...(replyTo !== undefined && { replyTo }) }),
    );
  });

  target.addEventListener('send-files', (event) => {
    const { text, files, replyTo } = event.detail;
    host.clearError();
    run(
      (bridge) =>
        bridge.upload({
          conv: host.state().current,
          files,
          ...(text !== '' && { text }),
          ...(replyTo !== undefined && { replyTo }),
        }),
      'Could not send the files.',
    );
  });

  target.addEventListener('retry-message', (event) => {
    host.clearError();
    run((bridge) => bridge.retry(event.detail.id));
  });

  target.addEventListener('composer-typing', () => {
    // A lost typing hint is harmless; it is not worth a word to the person.
    host
      .bridge()
      ?.typing(host.state().current)
      .catch(() => undefined);
  });

  target.addEventListener('open-link', (event) =>
    run((bridge) => bridge.openExternal(event.detail.url)),
  );

  target.addEventListener('edit-message', (event) => {
    const { seq, text } = event.detail;
    const state = host.state();
    const entries = logOf(state, state.current).entries;
    const message = entries[indexOfSeq(entries, seq)];
    // Unchanged: nothing to tell the room.
    if (message?.kind === 'text' && message.text === text) return;
    host.clearError();
    run((bridge) => bridge.edit({ conv: state.current, target: seq, text }), 'Not saved.');
  });

  target.addEventListener('react', (event) => {
    const { conv, seq, emoji, on } = event.detail;
    run((bridge) => bridge.react({ conv, target: seq, emoji, on }));
  });

  target.addEventListener('set-muted', (event) => run((bridge) => bridge.setMuted(event.detail)));

  target.addEventListener('download-file', (event) => {
    const { url, name, size } = event.detail.file;
    run((bridge) => bridge.download?.({ url, name, size }), 'Could not download.');
  });

  target.addEventListener('cancel-transfer', (event) =>
    run((bridge) => bridge.cancelTransfer(event.detail.id)),
  );

  target.addEventListener('show-in-folder', (event) =>
    run((bridge) => bridge.showInFolder?.(event.detail.id)),
  );
}
