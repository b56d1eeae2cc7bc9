import { describe, expect, it } from 'vitest';
import { httpOriginOf, parseJoinAddress } from '../../../protocol/client/address';

describe('parseJoinAddress', () => {
  it.each([
    ['192.168.1.20', 'ws://192.168.1.20:7420/ws'],
    ['192.168.1.20:7421', 'ws://192.168.1.20:7421/ws'],
    ['  laptop.local  ', 'ws://laptop.local:7420/ws'],
    ['Laptop.Local:80', 'ws://laptop.local/ws'],
    ['[::1]:7000', 'ws://[::1]:7000/ws'],
    ['[fe80::1]', 'ws://[fe80::1]:7420/ws'],
    ['::1', 'ws://[::1]:7420/ws'],
    ['fe80::abcd:1', 'ws://[fe80::abcd:1]:7420/ws'],
    ['ws://10.0.0.2:7420', 'ws://10.0.0.2:7420/ws'],
    ['ws://10.0.0.2:7420/', 'ws://10.0.0.2:7420/ws'],
    ['ws://10.0.0.2', 'ws://10.0.0.2/ws'],
    ['WSS://chat.example.org', 'wss://chat.example.org/ws'],
    ['wss://chat.example.org/parley/ws', 'wss://chat.example.org/parley/ws'],
    ['ws://[::1]:9000/ws?name=bob', 'ws://[::1]:9000/ws?name=bob'],
    ['10.0.0.2:7420/ws', 'ws://10.0.0.2:7420/ws'],
  ])('reads %j as %s', (input, expected) => {
    expect(parseJoinAddress(input).href).toBe(expected);
  });

  it('uses the given default port for addresses without one', () => {
    expect(parseJoinAddress('10.0.0.2', 9999).href).toBe('ws://10.0.0.2:9999/ws');
    expect(parseJoinAddress('[::1]', 1234).href).toBe('ws://[::1]:1234/ws');
  });

  it.each([
    ['', /type the address/i],
    ['   ', /type the address/i],
    ['host:70000', /between 1 and 65535, not 70000/],
    ['host:0', /between 1 and 65535, not 0/],
    ['host:', /no port number/],
    ['host:abc', /"abc" in "host:abc" is not a port number/],
    [
      'http://10.0.0.2:7420',
      /Use ws:\/\/ instead of http:\/\/ \(for example ws:\/\/10\.0\.0\.2:7420\)/,
    ],
    ['https://chat.example.org', /Use wss:\/\/ instead of https:\/\//],
    ['ftp://host', /only ws:\/\/ and wss:\/\//],
    ['[::1:7420', /closing bracket/],
    ['[::1]7420', /not a valid room address/],
    ['ws://:7420', /no host name/],
    ['my host:7420', /not a valid room address/],
    ['bob@host:7420', /leave out the user name/],
    ['[fe80::1%eth0]:7420', /zone ids/],
    ['ws://999.1.1.1:7420', /not a valid room address/],
    ['host:12:34', /put an IPv6 address in brackets/],
  ])('refuses %j with a sentence', (input, message) => {
    expect(() => parseJoinAddress(input)).toThrow(message);
  });
});

describe('httpOriginOf', () => {
  it('is the HTTP origin behind a chat socket, with the same port and encryption', () => {
    expect(httpOriginOf('wss://192.168.1.20:7420/ws')).toBe('https://192.168.1.20:7420');
    expect(httpOriginOf('ws://127.0.0.1:9000/')).toBe('http://127.0.0.1:9000');
  });
});
