import { describe, expect, it } from 'vitest';
import { parseHostForm, parseJoinForm } from '../../renderer/form-schemas';

describe('start screen forms', () => {
  it('turns a filled host form into a host request, trimming and dropping an empty password', () => {
    expect(
      parseHostForm({ roomName: ' Lab ', name: ' Ada ', password: '', port: ' 7420 ' }),
    ).toEqual({
      ok: true,
      request: { roomName: 'Lab', name: 'Ada', port: 7420 },
    });
    expect(parseHostForm({ roomName: 'Lab', name: 'Ada', password: ' x ', port: '1' })).toEqual({
      ok: true,
      request: { roomName: 'Lab', name: 'Ada', port: 1, password: ' x ' },
    });
  });

  it('names each broken field with one sentence', () => {
    expect(parseHostForm({ roomName: ' ', name: '', password: '', port: '0' })).toEqual({
      ok: false,
      errors: {
        roomName: 'Give the room a name.',
        name: 'Type your name so others know who you are.',
        port: 'Use a port number from 1 to 65535.',
      },
    });
    for (const port of ['65536', 'abc', '-1', '1.5', '']) {
      const result = parseHostForm({ roomName: 'Lab', name: 'Ada', password: '', port });
      expect(result.ok ? undefined : result.errors.port).toBe('Use a port number from 1 to 65535.');
    }
  });

  it('applies the protocol name rule: 32 code points, no control characters', () => {
    const join = (name: string) => parseJoinForm({ address: 'host:1', name, password: '' });
    expect(join('😀'.repeat(32)).ok).toBe(true);
    expect(join('😀'.repeat(33))).toEqual({
      ok: false,
      errors: { name: 'Keep your name to 32 characters or fewer.' },
    });
    expect(join('a\nb')).toEqual({
      ok: false,
      errors: { name: 'Your name cannot contain control characters or line breaks.' },
    });
  });

  it('wants an address without spaces to join', () => {
    expect(parseJoinForm({ address: '', name: 'Bob', password: '' })).toEqual({
      ok: false,
      errors: { address: 'Type the address of the room, such as 192.168.1.20:7420.' },
    });
    expect(parseJoinForm({ address: '10.0.0.1 7420', name: 'Bob', password: '' }).ok).toBe(false);
    expect(parseJoinForm({ address: ' 10.0.0.1:7420 ', name: 'Bob', password: 'pw' })).toEqual({
      ok: true,
      request: { address: '10.0.0.1:7420', name: 'Bob', password: 'pw' },
    });
  });
});
