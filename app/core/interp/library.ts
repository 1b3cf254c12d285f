/**
 * The C library of the subset: its constants (Linux's values), the string and memory
 * functions, printf and friends, the byte-order and address functions. The socket calls are
 * in syscalls.ts and go to the kernel; everything here is the library's own work.
 */
import type { SNode as Node } from './ast';
import { msg } from '../../contract/schema';
import { formatAddress, parseAddress } from './addresses';
import { Args, CONSTANTS, errnoNumber, ExitSignal, STDERR, STDOUT } from './clib';
import { evaluate } from './expr';
import type { Machine } from './machine';
import { check, copyBytes, fault, fillBytes, putBytes, stringBlock } from './memory';
import { format } from './printf';
import { callSys, SYSCALLS } from './syscalls';
import { ptrTo, T } from './types';
import { intVal, VOID, type Value } from './values';

export { errnoName, libraryConstant, type MachineIO, type SysReturn } from './clib';

const swap16 = (x: number): number => ((x & 0xff) << 8) | ((x >> 8) & 0xff);
const swap32 = (x: number): number =>
  (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | ((x >>> 24) & 0xff)) >>> 0;

/** Call the library function `name`. */
export async function callLibrary(m: Machine, name: string, nodes: Node[]): Promise<Value> {
  const values: Value[] = [];
  for (const n of nodes) values.push(await evaluate(m, n));
  const a = new Args(name, values, nodes);
  if (SYSCALLS.has(name)) return callSys(m, a);
  switch (name) {
    case 'htons':
    case 'ntohs':
      return intVal(swap16(a.count(1).int(0)), T.uint16_t);
    case 'htonl':
    case 'ntohl':
      return intVal(swap32(a.count(1).int(0)), T.uint32_t);
    case 'inet_pton': {
      a.count(3);
      const af = a.int(0);
      const bytes = parseAddress(af, a.str(1));
      if (!bytes) return intVal(bytes === null ? 0 : -1);
      putBytes(check(a.ptr(2), bytes.length, a.text(2)), bytes, a.text(2));
      return intVal(1);
    }
    case 'inet_ntop': {
      a.count(4);
      const af = a.int(0);
      const n = af === CONSTANTS.AF_INET6 ? 16 : 4;
      const src = check(a.ptr(1), n, a.text(1));
      const text = formatAddress(af, src.block.bytes.subarray(src.off, src.off + n));
      const size = a.int(3);
      if (text.length + 1 > size) {
        m.setErrno(errnoNumber('ENOSPC'));
        return { k: 'ptr', t: ptrTo(T.char), p: null };
      }
      const dst = a.ptr(2);
      putBytes(check(dst, text.length + 1, a.text(2)), new TextEncoder().encode(text + '\0'), a.text(2));
      return { k: 'ptr', t: ptrTo(T.char), p: dst };
    }
    case 'inet_addr': {
      const bytes = parseAddress(CONSTANTS.AF_INET!, a.count(1).str(0));
      if (!bytes) return intVal(0xffffffff, T.in_addr_t);
      return intVal(
        (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0,
        T.in_addr_t,
      );
    }
    case 'memset':
      fillBytes(a.count(3).ptr(0), a.int(1), a.int(2), a.text(0));
      return values[0]!;
    case 'memcpy':
      copyBytes(a.count(3).ptr(0), a.ptr(1), a.int(2), a.text(0), a.text(1));
      return values[0]!;
    case 'strlen':
      return intVal(new TextEncoder().encode(a.count(1).str(0)).length, T.size_t);
    case 'strcmp':
    case 'strncmp': {
      const x = new TextEncoder().encode(a.str(0));
      const y = new TextEncoder().encode(a.str(1));
      const n = name === 'strncmp' ? a.count(3).int(2) : (a.count(2), Infinity);
      for (let i = 0; i < n; i++) {
        const c = (x[i] ?? 0) - (y[i] ?? 0);
        if (c !== 0 || x[i] === undefined) return intVal(Math.sign(c));
      }
      return intVal(0);
    }
    case 'strcpy':
    case 'strcat': {
      a.count(2);
      const s = new TextEncoder().encode(a.str(1) + '\0');
      let dst = a.ptr(0);
      if (name === 'strcat')
        dst = { ...check(dst, 0, a.text(0)), off: dst!.off + new TextEncoder().encode(a.str(0)).length };
      putBytes(check(dst, s.length, a.text(0)), s, a.text(0));
      return values[0]!;
    }
    case 'strncpy': {
      a.count(3);
      const n = a.int(2);
      const s = new TextEncoder().encode(a.str(1)).subarray(0, n);
      const buf = new Uint8Array(n);
      buf.set(s);
      putBytes(check(a.ptr(0), n, a.text(0)), buf, a.text(0));
      return values[0]!;
    }
    case 'printf': {
      const text = format(name, a.str(0), values.slice(1));
      m.io.output('stdout', text);
      return intVal(new TextEncoder().encode(text).length);
    }
    case 'fprintf': {
      const stream = a.ptr(0)?.block;
      if (stream !== STDOUT && stream !== STDERR)
        throw fault(msg('fault.argType', { fn: name, n: 1, want: 'stdout or stderr' }));
      const text = format(name, a.str(1), values.slice(2));
      m.io.output(stream === STDERR ? 'stderr' : 'stdout', text);
      return intVal(new TextEncoder().encode(text).length);
    }
    case 'snprintf': {
      const size = a.int(1);
      const text = new TextEncoder().encode(format(name, a.str(2), values.slice(3)));
      if (size > 0) {
        const n = Math.min(size - 1, text.length);
        const out = new Uint8Array(n + 1);
        out.set(text.subarray(0, n));
        putBytes(check(a.ptr(0), n + 1, a.text(0)), out, a.text(0));
      }
      return intVal(text.length);
    }
    case 'puts':
      m.io.output('stdout', a.count(1).str(0) + '\n');
      return intVal(1);
    case 'putchar':
      m.io.output('stdout', String.fromCharCode(a.count(1).int(0) & 0xff));
      return values[0]!;
    case 'fputs': {
      a.count(2);
      const stream = a.ptr(1)?.block;
      if (stream !== STDOUT && stream !== STDERR)
        throw fault(msg('fault.argType', { fn: name, n: 2, want: 'stdout or stderr' }));
      m.io.output(stream === STDERR ? 'stderr' : 'stdout', a.str(0));
      return intVal(1);
    }
    case 'fflush':
      return intVal(0);
    case 'perror': {
      const e = m.errnoValue();
      const s = values.length && a.ptr(0) ? a.str(0) : '';
      m.io.output('stderr', `${s ? s + ': ' : ''}${m.io.strerror(e)}\n`);
      return VOID;
    }
    case 'strerror': {
      const b = stringBlock(m.io.strerror(a.count(1).int(0)), true, 'strerror()');
      return { k: 'ptr', t: ptrTo(T.char), p: { block: b, off: 0 } };
    }
    case 'atoi': {
      const mm = /^\s*([+-]?\d+)/.exec(a.count(1).str(0));
      return intVal(mm ? Number(mm[1]) : 0);
    }
    case 'exit':
      throw new ExitSignal(a.count(1).int(0) & 0xff);
    case 'sleep':
      await m.io.sleep(Math.min(a.count(1).int(0), 60) * 1000);
      return intVal(0, T.uint);
    case 'usleep':
      await m.io.sleep(Math.min(a.count(1).int(0), 60_000_000) / 1000);
      return intVal(0);
  }
  throw fault(msg('fault.notFunction', { name }));
}
