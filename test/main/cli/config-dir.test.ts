import { describe, expect, it } from 'vitest';
import { defaultConfigDir, knownRoomsFile } from '../../../main/cli/config-dir';

describe('defaultConfigDir', () => {
  it('follows XDG_CONFIG_HOME, else ~/.config', () => {
    expect(defaultConfigDir({ XDG_CONFIG_HOME: '/xdg', HOME: '/home/ann' })).toBe('/xdg/parley');
    expect(knownRoomsFile({ HOME: '/home/ann' })).toBe('/home/ann/.config/parley/known-rooms.json');
  });

  it('ignores an empty or relative XDG_CONFIG_HOME, as the spec says', () => {
    for (const XDG_CONFIG_HOME of ['', 'relative']) {
      expect(defaultConfigDir({ XDG_CONFIG_HOME, HOME: '/home/ann' })).toBe(
        '/home/ann/.config/parley',
      );
    }
  });
});
