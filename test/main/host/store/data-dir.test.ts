import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../../../main/host/store/data-dir';

describe('defaultDataDir', () => {
  it('uses XDG_DATA_HOME when it is an absolute path', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/data/xdg' }, '/home/ann')).toBe(
      '/data/xdg/parley/host',
    );
  });

  it('falls back to ~/.local/share when XDG_DATA_HOME is unset or empty', () => {
    expect(defaultDataDir({}, '/home/ann')).toBe('/home/ann/.local/share/parley/host');
    expect(defaultDataDir({ XDG_DATA_HOME: '' }, '/home/ann')).toBe(
      '/home/ann/.local/share/parley/host',
    );
  });

  it('ignores a relative XDG_DATA_HOME, as the XDG rules require', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative/dir' }, '/home/ann')).toBe(
      '/home/ann/.local/share/parley/host',
    );
  });

  it('defaults to the process environment and home directory', () => {
    expect(defaultDataDir()).toMatch(/\/parley\/host$/);
  });
});
