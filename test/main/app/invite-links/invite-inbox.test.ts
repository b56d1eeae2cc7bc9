import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../../../protocol/bridge';
import { InviteInbox, withJoinScreenSignals } from '../../../../main/app/invite-links/invite-inbox';
import type { BridgeActions } from '../../../../main/app/room/ipc-handlers';

const INVITE = 'parley://10.0.0.7:7420/?room=lab';

function inbox(options: { inRoom?: () => boolean } = {}) {
  const events: RoomEvent[] = [];
  const box = new InviteInbox({
    emit: (event) => events.push(event),
    inRoom: options.inRoom ?? (() => false),
  });
  return { box, events };
}

describe('InviteInbox', () => {
  it('keeps the invite the app was started with until the join screen shows', () => {
    const { box, events } = inbox();
    expect(box.openArgv(['/opt/Parley/parley', INVITE])).toBe(true);
    expect(events).toEqual([]);
    box.joinScreenShown();
    expect(events).toEqual([{ type: 'invite', invite: INVITE }]);
    // Once shown it is gone: the join screen coming back does not fill it in again.
    box.joinScreenHidden();
    box.joinScreenShown();
    expect(events).toHaveLength(1);
  });

  it('sends an invite opened while the join screen shows at once', () => {
    const { box, events } = inbox();
    box.joinScreenShown();
    expect(box.openUrl(INVITE)).toBe(true);
    expect(events).toEqual([{ type: 'invite', invite: INVITE }]);
  });

  it('holds an invite opened during a room until the room is left, the newest one winning', () => {
    let inRoom = true;
    const { box, events } = inbox({ inRoom: () => inRoom });
    box.joinScreenHidden();
    box.openUrl('parley://10.0.0.8:7420/');
    box.openUrl(INVITE);
    expect(events).toEqual([]);
    expect(box.waiting).toBe(INVITE);
    inRoom = false;
    box.joinScreenShown();
    expect(events).toEqual([{ type: 'invite', invite: INVITE }]);
  });

  it('ignores what is not an invite, and keeps one already waiting', () => {
    const { box, events } = inbox();
    box.openUrl(INVITE);
    expect(box.openUrl('https://example.com/')).toBe(false);
    expect(box.openArgv(['/opt/Parley/parley', '--flag'])).toBe(false);
    box.joinScreenShown();
    expect(events).toEqual([{ type: 'invite', invite: INVITE }]);
  });
});

describe('withJoinScreenSignals', () => {
  it('tells the inbox when the join screen starts and stops looking for rooms', async () => {
    const calls: string[] = [];
    const { box, events } = inbox();
    const actions = withJoinScreenSignals(
      {
        startDiscovery: () => void calls.push('start'),
        stopDiscovery: () => void calls.push('stop'),
      } as unknown as BridgeActions,
      box,
    );
    box.openUrl(INVITE);
    await actions.stopDiscovery(undefined);
    expect(events).toEqual([]);
    await actions.startDiscovery(undefined);
    expect(calls).toEqual(['stop', 'start']);
    expect(events).toEqual([{ type: 'invite', invite: INVITE }]);
  });
});
