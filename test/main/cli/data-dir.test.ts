import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../../main/cli/data-dir';

describe('defaultDataDir', () => {
  it('follows XDG_DATA_HOME, else ~/.local/share', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/xdg', HOME: '/home/ann' })).toBe('/xdg/parley/host');
    expect(defaultDataDir({ HOME: '/home/ann' })).toBe('/home/ann/.local/share/parley/host');
  });

  it('ignores an empty or relative XDG_DATA_HOME, as the spec says', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '', HOME: '/home/ann' })).toBe(
      '/home/ann/.local/share/parley/host',
    );
    expect(defaultDataDir({ XDG_DATA_HOME: 'rel', HOME: '/home/ann' })).toBe(
      '/home/ann/.local/share/parley/host',
    );
  });
});
