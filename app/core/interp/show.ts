/**
 * The program's frames as the window shows them: each variable's C type and its value as C
 * would print it — a char array as text (and its bytes when they are not text), a sockaddr_in
 * as address:port, an fd_set as its members, `?` for what has no value yet.
 */
import { MAX_FRAMES, MAX_VARS, type FrameView, type VarView } from '../../contract/schema';
import { formatAddress } from './addresses';
import type { Frame } from './machine';
import type { Block } from './memory';
import { sizeOf, typeName, type CType } from './types';
import type { LValue } from './values';

const MAX_TEXT = 64;

/** The frames, innermost first. */
export function showFrames(frames: readonly Frame[], globals: readonly LValue[]): FrameView[] {
  const out: FrameView[] = [];
  for (let i = frames.length - 1; i >= 0 && out.length < MAX_FRAMES; i--) {
    const f = frames[i]!;
    out.push({ fn: f.fn, line: f.line, vars: f.vars.slice(0, MAX_VARS).map(showVar) });
  }
  if (globals.length && out.length < MAX_FRAMES)
    out.push({ fn: '(globals)', line: 1, vars: globals.slice(0, MAX_VARS).map(showVar) });
  return out;
}

function showVar(v: LValue): VarView {
  const r: VarView = {
    name: v.name.slice(0, 64),
    type: typeName(v.t).slice(0, 80),
    value: show(v.p.block, v.p.off, v.t).slice(0, 512),
  };
  if (v.t.kind === 'array' && v.t.of.kind === 'int' && v.t.of.size === 1) {
    const hex = hexIfBinary(v.p.block, v.p.off, v.t.len);
    if (hex) r.bytes = hex;
  }
  return r;
}

function inited(b: Block, off: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (!b.init[off + i]) return false;
  return true;
}

function int(b: Block, off: number, size: number, signed: boolean): number | bigint {
  if (size === 8) {
    let x = 0n;
    for (let i = 7; i >= 0; i--) x = (x << 8n) | BigInt(b.bytes[off + i]!);
    return signed ? BigInt.asIntN(64, x) : x;
  }
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + b.bytes[off + i]!;
  const m = 2 ** (size * 8);
  return signed && v >= m / 2 ? v - m : v;
}

function show(b: Block, off: number, t: CType): string {
  const size = sizeOf(t);
  switch (t.kind) {
    case 'int':
      if (!inited(b, off, size)) return '?';
      return String(int(b, off, t.size, t.signed));
    case 'ptr': {
      if (!inited(b, off, 8)) return '?';
      const p = b.ptrs.get(off);
      if (!p) return 'NULL';
      if (!p.block.alive) return `(dangling) ${p.block.name}`;
      if (p.block.readonly) return quote(p.block, p.off, p.block.size - p.off);
      return p.off === 0 ? `&${p.block.name}` : `&${p.block.name}[${p.off / Math.max(1, sizeOf(t.to))}]`;
    }
    case 'array': {
      if (t.of.kind === 'int' && t.of.size === 1) {
        if (!b.init[off]) return '?';
        return quote(b, off, t.len);
      }
      const n = Math.min(t.len, 8);
      const es = sizeOf(t.of);
      const items: string[] = [];
      for (let i = 0; i < n; i++) items.push(show(b, off + i * es, t.of));
      return `{${items.join(', ')}${t.len > n ? ', …' : ''}}`;
    }
    case 'struct':
      return showStruct(b, off, t);
    case 'void':
      return '';
  }
}

function showStruct(b: Block, off: number, t: CType & { kind: 'struct' }): string {
  if (t.name === 'fd_set') {
    if (!inited(b, off, 128)) return '?';
    const fds: number[] = [];
    for (let fd = 0; fd < 1024; fd++) if (b.bytes[off + (fd >> 3)]! & (1 << (fd & 7))) fds.push(fd);
    return `{${fds.join(', ')}}`;
  }
  if (t.name === 'sockaddr_in' && inited(b, off, 8) && int(b, off, 2, false) === 2)
    return `${formatAddress(2, b.bytes.subarray(off + 4, off + 8))}:${(b.bytes[off + 2]! << 8) | b.bytes[off + 3]!}`;
  if (t.name === 'sockaddr_in6' && inited(b, off, 24) && int(b, off, 2, false) === 10)
    return `[${formatAddress(10, b.bytes.subarray(off + 8, off + 24))}]:${(b.bytes[off + 2]! << 8) | b.bytes[off + 3]!}`;
  if (!t.fields.some((f) => inited(b, off + f.offset, sizeOf(f.type)))) return '?';
  return `{${t.fields
    .filter((f) => !f.name.startsWith('__') && f.name !== 'sin_zero')
    .map((f) => `${f.name}=${show(b, off + f.offset, f.type)}`)
    .join(', ')}}`;
}

/** Text up to the NUL (at most MAX_TEXT characters), quoted and escaped as C writes it. */
function quote(b: Block, off: number, len: number): string {
  let s = '"';
  let i = 0;
  for (; i < len && off + i < b.size; i++) {
    if (!b.init[off + i]) break;
    const c = b.bytes[off + i]!;
    if (c === 0) break;
    if (i >= MAX_TEXT) return s + '"…';
    s +=
      c === 10
        ? '\\n'
        : c === 13
          ? '\\r'
          : c === 9
            ? '\\t'
            : c === 34
              ? '\\"'
              : c === 92
                ? '\\\\'
                : c >= 32 && c < 127
                  ? String.fromCharCode(c)
                  : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s + '"';
}

/** The first bytes in hex when some are not printable text (before the NUL). */
function hexIfBinary(b: Block, off: number, len: number): string | null {
  let binary = false;
  const hex: string[] = [];
  for (let i = 0; i < Math.min(len, 32); i++) {
    if (!b.init[off + i]) break;
    const c = b.bytes[off + i]!;
    if (c === 0 && i > 0) break;
    if (c < 32 && c !== 10 && c !== 13 && c !== 9) binary = true;
    if (c >= 127) binary = true;
    hex.push(c.toString(16).padStart(2, '0'));
  }
  return binary ? hex.join(' ') : null;
}
