import { describe, expect, it } from 'vitest';
import { countFlag, parseBenchOptions, UsageError } from '../../bench/cli-options';
import { TARGET_NAMES } from '../../bench/targets';

describe('bench command line', () => {
  it('defaults to the full run of every target', () => {
    expect(parseBenchOptions([])).toEqual({
      mode: 'full',
      targets: [...TARGET_NAMES],
      writeDocs: false,
      jsonPath: undefined,
      cpuProfileDir: undefined,
      skipCases: false,
      help: false,
    });
  });

  it('reads every option', () => {
    const options = parseBenchOptions([
      '--quick',
      '--targets',
      'parley, ws-coalesced',
      '--write-docs',
      '--json',
      'out.json',
      '--cpu-prof',
      'profiles',
      '--skip-cases',
    ]);
    expect(options).toMatchObject({
      mode: 'quick',
      targets: ['parley', 'ws-coalesced'],
      writeDocs: true,
      jsonPath: 'out.json',
      cpuProfileDir: 'profiles',
      skipCases: true,
    });
    expect(parseBenchOptions(['--smoke']).mode).toBe('smoke');
  });

  it('refuses unknown options, unknown targets and contradictions', () => {
    expect(() => parseBenchOptions(['--fast'])).toThrow(UsageError);
    expect(() => parseBenchOptions(['--targets', 'nginx'])).toThrow(/unknown target/);
    expect(() => parseBenchOptions(['--targets', ','])).toThrow(/at least one target/);
    expect(() => parseBenchOptions(['--quick', '--smoke'])).toThrow(/one of --quick and --smoke/);
    expect(() => parseBenchOptions(['--json'])).toThrow(UsageError);
  });

  it('reads a count flag of the bench commands, and refuses what is not a count', () => {
    expect(countFlag('--clients', undefined)).toBeUndefined();
    expect(countFlag('--clients', '2000')).toBe(2000);
    for (const bad of ['0', '-3', '1.5', 'many', '']) {
      expect(() => countFlag('--clients', bad)).toThrow(UsageError);
    }
    expect(() => countFlag('--steady-rate', 'fast')).toThrow(
      '--steady-rate needs a whole number above 0, not fast',
    );
  });
});
