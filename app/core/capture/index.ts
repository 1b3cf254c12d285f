/**
 * Packet capture on loopback: the pcap format (read, decode, write), the capture process,
 * and which segments are the lab's.
 *
 * How the engine uses it (`app/core/lab-capture.ts`): `startCapture({ filter, onSegment,
 * onStatus })` when the lab starts; each segment between the two ends of a lab socket's
 * connection (`LabSockets`) becomes a `segment` event (source 'captured'), one that may yet
 * be the lab's is held (`HoldQueue`), each `onStatus` a `capture.status` event; `stop()` on
 * dispose; `exportPcap()` for the .pcap export.
 */
export * from './pcap';
export * from './capture';
export * from './window';
export * from './lab-sockets';
export * from './hold';
