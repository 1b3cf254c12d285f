/** Out-parameters of poll, select, getsockopt and fcntl as C leaves them, and where they show. */
import { describe, expect, it } from 'vitest';
import { formatCall, formatOut } from '@/format/describe';

describe('formatOut', () => {
  it('says what each call wrote back', () => {
    expect(
      formatOut({
        revents: [
          { fd: 3, revents: ['POLLOUT', 'POLLHUP'] },
          { fd: 9, revents: [] },
        ],
      }),
    ).toBe('revents {3: POLLOUT|POLLHUP, 9: 0}');
    expect(formatOut({ readfds: [4], writefds: [] })).toBe('readfds {4}, writefds {}');
    expect(formatOut({ optval: 1 })).toBe('optval = 1');
    expect(formatOut({ optval: { onoff: 1, linger: 0 } })).toBe('optval = {1, 0}');
    expect(formatOut({ flags: ['O_NONBLOCK'] })).toBe('flags = O_NONBLOCK');
    expect(formatOut(null)).toBe('');
  });

  it('writes the new calls as C would', () => {
    expect(
      formatCall({ call: 'setsockopt', args: { fd: 3, opt: 'SO_LINGER', value: { onoff: 1, linger: 0 } } }),
    ).toBe('setsockopt(3, SOL_SOCKET, SO_LINGER, {1, 0})');
    expect(formatCall({ call: 'getsockopt', args: { fd: 3, opt: 'TCP_NODELAY' } })).toBe(
      'getsockopt(3, IPPROTO_TCP, TCP_NODELAY)',
    );
    expect(formatCall({ call: 'fcntl', args: { fd: 4, cmd: 'F_SETFL', flags: ['O_NONBLOCK'] } })).toBe(
      'fcntl(4, F_SETFL, O_NONBLOCK)',
    );
    expect(formatCall({ call: 'poll', args: { fds: [{ fd: 3, events: ['POLLIN'] }], timeout: -1 } })).toBe(
      'poll({3:POLLIN}, 1, -1)',
    );
    expect(formatCall({ call: 'select', args: { readfds: [3, 4], writefds: [], timeout: null } })).toBe(
      'select(r{3,4}, w{}, NULL)',
    );
  });
});
