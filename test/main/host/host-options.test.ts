import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../protocol/limits';
import { resolveHostOptions } from '../../../main/host/host-options';
import { defaultStaticDir } from '../../../main/host/package-root';

describe('resolveHostOptions', () => {
  it('fills in the documented defaults', () => {
    expect(resolveHostOptions({})).toEqual({
      port: 7420,
      host: '0.0.0.0',
      roomName: 'Parley',
      password: undefined,
      store: undefined,
      limits: { ...DEFAULT_LIMITS },
      staticDir: defaultStaticDir(),
      allowPlain: true,
    });
  });

  it('merges given limits over the defaults and trims the room name', () => {
    const resolved = resolveHostOptions({ roomName: '  Den ', limits: { rateBurst: 3 } });
    expect(resolved.roomName).toBe('Den');
    expect(resolved.limits).toEqual({ ...DEFAULT_LIMITS, rateBurst: 3 });
  });

  it('treats an empty password as an open room', () => {
    expect(resolveHostOptions({ password: '' }).password).toBeUndefined();
    expect(resolveHostOptions({ password: ' s ' }).password).toBe(' s ');
  });

  it('names the bad option', () => {
    expect(() => resolveHostOptions({ limits: { rateBurst: -1 } })).toThrow(/limits\.rateBurst/);
    expect(() => resolveHostOptions({ port: 65_536 })).toThrow(/port/);
  });
});
