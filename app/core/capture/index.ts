/**
 * Packet capture on loopback: the pcap format (read, decode, write) and the capture process.
 *
 * How the engine uses it: `startCapture({ filter, onSegment, onStatus })` when the lab starts,
 * with a filter that holds for segments between endpoints of its own sockets; each
 * `onSegment` becomes a `segment` event (source 'captured'), each `onStatus` a
 * `capture.status` event; `stop()` on reset and dispose; `exportPcap()` for the .pcap export.
 */
export * from './pcap';
export * from './capture';
export * from './window';
