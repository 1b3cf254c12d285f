/**
 * The engine's messages in English: one entry per code of app/contract/messages.ts (the
 * compiler checks that none is missing), `{name}` for its parameters.
 */
import type { BriefCode, MessageCode } from '@contract';
import { cFaultsEn } from './c-faults-en';
import { cProblemsEn } from './c-problems-en';
import { REFUSAL_EN } from '@contract/refusals';

export const messagesEn: Readonly<Record<MessageCode | BriefCode, string>> = {
  'cause.listen': 'listen()',
  'cause.connect': 'connect(): SYN sent',
  'cause.synReceived': 'SYN received, SYN-ACK sent',
  'cause.synAckReceived': 'SYN-ACK received, ACK sent',
  'cause.ackReceived': 'ACK received',
  'cause.close': 'close(): FIN sent',
  'cause.finReceived': 'FIN received, ACK sent',
  'cause.finAcked': 'ACK of FIN received',
  'cause.rst': 'RST',
  'cause.timeout': 'TIME_WAIT timer expired',
  'cause.shutdown': 'shutdown({how}): FIN sent',
  'cause.closeUnread': 'close() with {n} unread bytes: RST sent',
  'cause.closeInHandshake': 'close() during the handshake',
  'cause.closeCall': 'close()',
  'cause.refused': 'RST received: connection refused',
  'cause.exitClose': 'the program ended: the kernel closed the socket',
  'cause.exitFin': 'the program ended: the kernel closed the socket, FIN sent',
  'cause.exitUnread': 'the program ended with {n} bytes unread: the kernel sent RST',
  'note.notOpen': '{fd} is not an open descriptor of this actor',
  'note.fdLimit': "{actor} has {n} descriptors open, the lab's limit per actor",
  'note.fdReserve':
    "the lab's process has {left} descriptors left and keeps {reserve} free for the window and the kernel's tables: close some sockets",
  'note.heldFull':
    'the lab already holds {held} MiB of blocked writes for peers that do not read (its limit: {max} MiB), so this write does not wait: it returns the bytes the kernel took (-1 ENOBUFS when none)',
  'note.inUse': '{at} is already in use by lab socket {socket}',
  'note.alreadyListening': 'already listening; backlog updated',
  'note.newConnection': 'new connection from {from}',
  'note.connected': 'connected to {to}',
  'note.refused': 'nothing listens on {to}: the kernel answered RST',
  'note.peerReset': 'the peer reset the connection (RST)',
  'note.eof': 'end of stream: the peer sent FIN',
  'note.read': '{text}',
  'note.finSent': 'this side already sent FIN (shutdown or close): writing is EPIPE',
  'note.otherRefs': 'other descriptors still refer to the socket',
  'note.unreadRst': '{n} bytes were unread: the kernel sent RST instead of FIN',
  'note.interrupted': 'interrupted: the blocked call returned -1 EINTR',
  'note.labReset': 'the lab was reset',
  'note.unexpected': 'unexpected: {error}',
  'note.ipv4OnInet6': '{host} is an IPv4 address; this socket is AF_INET6',
  'note.ipv6OnInet': '{host} is an IPv6 address; this socket is AF_INET',
  'note.notLoopback': '{host} is not a loopback address: the lab uses only 127.0.0.0/8 and ::1',
  'note.notIp': '{host} is not an IP address; the lab uses only 127.0.0.0/8, ::1 or localhost',
  'capture.noTool': 'no capture tool found (tcpdump or dumpcap)',
  'capture.notFound': '{tool} was not found ({path})',
  'capture.cannotStart': '{tool} could not start ({error})',
  'capture.unreadable': 'unreadable capture output: {error}',
  'capture.stopped': '{tool} stopped ({how}) ({detail}); segments are inferred from now on',
  'capture.stopped.brief': '{tool} stopped ({how}); segments are inferred from now on',
  'capture.noPermission': 'no permission to capture on {iface} ({detail})',
  'capture.noPermission.brief': 'no permission to capture on {iface}',
  'capture.cannotCapture': '{tool} could not capture: {detail}',
  'notice.tableFailed':
    "Reading the kernel's socket table failed (states of closed sockets will be missing): {error}",
  'notice.traceOff':
    "The kernel's state-change tracepoint is not used ({reason}): states come from the kernel's readings, the steps between them are marked inferred.",
  'notice.traceFailed': 'The state-change tracepoint failed: {error}',
  'notice.logFullCount':
    'The event log reached its limit of {max} events: the oldest {n} were dropped from memory ({all} in all). The live view is unaffected; a saved trace starts later.',
  'notice.logFullBytes':
    'The event log reached its limit of {mib} MiB: the oldest {n} events were dropped from memory ({all} in all). The live view is unaffected; a saved trace starts later.',
  ...cProblemsEn,
  ...cFaultsEn,
  ...REFUSAL_EN,
};
