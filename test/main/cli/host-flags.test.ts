import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../protocol/wire/limits';
import { HOST_FLAGS, LIMIT_FLAGS, parseHostArgs } from '../../../main/cli/host-flags';
import { hostHelp } from '../../../main/cli/host-help';
import { UsageError } from '../../../main/cli/usage-error';

describe('parley host flags', () => {
  it('has one kebab-case flag per protocol limit, listed in the help with its default', () => {
    expect(LIMIT_FLAGS.map(({ key }) => key).sort()).toEqual(Object.keys(DEFAULT_LIMITS).sort());
    const help = hostHelp('/data');
    for (const { flag, defaultValue } of LIMIT_FLAGS) {
      expect(flag).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(help).toMatch(new RegExp(`--${flag} .*\\(default ${defaultValue}\\)`));
    }
    expect(LIMIT_FLAGS.find(({ key }) => key === 'maxSayIdLength')?.flag).toBe('max-say-id-length');
    expect(help).toContain('(default /data)');
  });

  it("describes each flag that sets a host option with that option's schema, default included", () => {
    const help = hostHelp('/data');
    const lines = (flag: string) => {
      // From the flag's line in the list to the next flag's.
      const start = help.indexOf(`\n  --${flag}`) + 3;
      const end = help.indexOf('\n  -', start);
      return help.slice(start, end).replace(/\s+/g, ' ');
    };
    expect(lines('port')).toContain('port to listen on; 0 picks a free one (default 7420)');
    expect(lines('bind')).toContain('(default 0.0.0.0)');
    expect(lines('room')).toContain('room name (default Parley; an existing room keeps its name)');
    expect(lines('no-plain')).toContain('do not accept plain WebSocket clients');
    expect(lines('no-browser')).toContain('do not serve the browser guest page');
    expect(lines('max-connections-per-address')).toContain(
      'open connections one other machine may hold (default 20)',
    );
    expect(lines('session-retention-days')).toContain(
      'days a resume token is kept after its last use (default 30)',
    );
    expect(lines('redis')).toContain(
      'share the room with every other host started with the same Redis',
    );
    expect(lines('room-id')).toContain('with --redis: the room to serve');
    expect(lines('files')).toContain('keep the files people send in DIR');
    for (const { flag, option } of HOST_FLAGS) {
      if (option) expect(lines(flag), flag).toMatch(/^--\S+( [A-Z]+)? +[a-z]/);
    }
  });

  it('uses the defaults when nothing is given', () => {
    expect(parseHostArgs([], {})).toEqual({
      help: false,
      port: 7420,
      bind: '0.0.0.0',
      room: undefined,
      password: undefined,
      data: undefined,
      memory: false,
      allowPlain: true,
      guestPage: true,
      discovery: true,
      allowCleartext: false,
      maxConnectionsPerAddress: 20,
      maxChannels: 1000,
      sessionRetentionDays: 30,
      limits: {},
      redis: undefined,
      roomId: undefined,
      cert: undefined,
      key: undefined,
      files: undefined,
      maxFileSize: 2 * 1024 ** 3,
      maxRoomFiles: 20 * 1024 ** 3,
      maxUploads: 10,
    });
  });

  it('reads the scale-out flags: --redis, --room-id, --cert with --key, --files', () => {
    const argv = ['--redis', 'redis://10.0.0.5:6379/2', '--room-id', 'campus_1'];
    argv.push('--cert', 'c.pem', '--key', 'k.pem', '--files', '/mnt/files');
    expect(parseHostArgs(argv, {})).toMatchObject({
      redis: 'redis://10.0.0.5:6379/2',
      roomId: 'campus_1',
      cert: 'c.pem',
      key: 'k.pem',
      files: '/mnt/files',
    });
    expect(() => parseHostArgs(['--cert', 'c.pem'], {})).toThrow(
      new UsageError('--cert and --key go together: give both, or neither'),
    );
    expect(() => parseHostArgs(['--room-id', 'x'], {})).toThrow(
      new UsageError('--room-id names a room in Redis: give --redis too'),
    );
    expect(() => parseHostArgs(['--redis', 'http://x'], {})).toThrow(
      new UsageError('--redis must be a redis:// or rediss:// URL (got "http://x")'),
    );
    expect(() => parseHostArgs(['--redis', 'redis://x', '--room-id', 'a:b'], {})).toThrow(
      new UsageError('--room-id must be 1 to 64 letters, digits, "_" or "-" (got "a:b")'),
    );
  });

  it('reads the files flags, sizes in bytes or binary units', () => {
    const args = ['--files', '/srv/files', '--max-file-size', '500MiB', '--max-uploads', '3'];
    expect(parseHostArgs([...args, '--max-room-files', '1.5g'], {})).toMatchObject({
      files: '/srv/files',
      maxFileSize: 500 * 1024 ** 2,
      maxRoomFiles: 1.5 * 1024 ** 3,
      maxUploads: 3,
    });
    expect(parseHostArgs(['--max-file-size', '1000'], {}).maxFileSize).toBe(1000);
    expect(() => parseHostArgs(['--max-file-size', 'huge'], {})).toThrow(
      new UsageError(
        '--max-file-size must be a size in bytes, or with KiB, MiB or GiB (e.g. 500MiB) (got "huge")',
      ),
    );
    expect(() => parseHostArgs(['--max-uploads', '0'], {})).toThrow(/--max-uploads must be/);
  });

  it('turns advertising off with --no-discovery', () => {
    expect(parseHostArgs(['--no-discovery'], {}).discovery).toBe(false);
  });

  it('reads the security switches', () => {
    expect(
      parseHostArgs(
        ['--no-browser', '--allow-cleartext', '--max-connections-per-address', '3'],
        {},
      ),
    ).toMatchObject({ guestPage: false, allowCleartext: true, maxConnectionsPerAddress: 3 });
  });

  it('reads --session-retention-days as whole days', () => {
    expect(parseHostArgs(['--session-retention-days', '7'], {}).sessionRetentionDays).toBe(7);
    expect(parseHostArgs(['--max-channels', '5'], {}).maxChannels).toBe(5);
    expect(() => parseHostArgs(['--session-retention-days', '1.5'], {})).toThrow(
      new UsageError('--session-retention-days must be a whole number, 0 or more (got "1.5")'),
    );
  });

  it('takes --data with --memory: the certificate then lives there, the history in memory', () => {
    expect(parseHostArgs(['--memory', '--data', '/tmp/x'], {})).toMatchObject({
      memory: true,
      data: '/tmp/x',
    });
  });

  it('reads every flag, limits as numbers', () => {
    const args = parseHostArgs(
      [
        '--port=0',
        '--bind',
        '127.0.0.1',
        '--room',
        ' Team ',
        '--password',
        'pw',
        '--memory',
        '--no-plain',
        '--max-connections',
        '3',
        '--rate-per-second',
        '0.5',
        '--heartbeat-interval-ms',
        '1000',
      ],
      {},
    );
    expect(args).toMatchObject({
      port: 0,
      bind: '127.0.0.1',
      room: 'Team',
      password: 'pw',
      memory: true,
      allowPlain: false,
    });
    expect(args.limits).toEqual({
      maxConnections: 3,
      ratePerSecond: 0.5,
      heartbeatIntervalMs: 1000,
    });
  });

  it('takes --rate, the easy name of --rate-per-second, and says so in the help', () => {
    expect(parseHostArgs(['--rate', '50'], {}).limits).toEqual({ ratePerSecond: 50 });
    expect(parseHostArgs(['--rate', '2', '--rate-per-second', '2'], {}).limits).toEqual({
      ratePerSecond: 2,
    });
    expect(() => parseHostArgs(['--rate', '2', '--rate-per-second', '3'], {})).toThrow(
      new UsageError('--rate and --rate-per-second are the same limit: give one of them'),
    );
    expect(() => parseHostArgs(['--rate', '-1'], {})).toThrow(
      new UsageError('--rate must be a number, 0 or more (got "-1")'),
    );
    expect(hostHelp('/data').replace(/\s+/g, ' ')).toContain(
      '--rate N messages per second each person may send, sustained, after a burst of 20 (default 5; the same as --rate-per-second)',
    );
  });

  it('takes the password from PARLEY_PASSWORD unless given as a flag', () => {
    expect(parseHostArgs([], { PARLEY_PASSWORD: 'env' }).password).toBe('env');
    expect(parseHostArgs(['--password', 'flag'], { PARLEY_PASSWORD: 'env' }).password).toBe('flag');
  });

  it.each([
    [['--port', '65536'], '--port must be a port number from 0 to 65535 (got "65536")'],
    [['--port', '12ab'], '--port must be a port number from 0 to 65535 (got "12ab")'],
    [['--port', '-1'], '--port must be a port number from 0 to 65535 (got "-1")'],
    [['--rate-burst', '-5'], '--rate-burst must be a whole number, 0 or more (got "-5")'],
    [
      ['--max-text-length', '1.5'],
      '--max-text-length must be a whole number, 0 or more (got "1.5")',
    ],
    [['--rate-per-second', 'fast'], '--rate-per-second must be a number, 0 or more (got "fast")'],
    [['--room', '   '], '--room needs a room name (got "   ")'],
    [
      ['--max-connections-per-address', '0'],
      '--max-connections-per-address must be a whole number, 1 or more (got "0")',
    ],
    [['--bogus'], "unknown option '--bogus' (see --help)"],
    [['extra'], "unexpected argument 'extra' (see --help)"],
    [['--port'], "option '--port <value>' argument missing (see --help)"],
  ])('refuses %j with one plain line', (argv, problem) => {
    expect(() => parseHostArgs(argv, {})).toThrow(new UsageError(problem));
  });
});
