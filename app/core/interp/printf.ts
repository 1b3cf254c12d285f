/**
 * printf's formats: %d %i %u %x %X %o %c %s %p %% with flags, width, precision (`*` too) and
 * the lengths hh h l ll z. An argument of the wrong type for its conversion, or a count that
 * does not match, is a fault (gcc -Wall warns of both; at run time C would print garbage).
 */
import { msg } from '../../contract/schema';
import { cString, fault } from './memory';
import { typeName } from './types';
import { exact, type Value } from './values';

const SPEC = /%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?(hh|h|ll|l|z|j|t)?([diuxXocsp%])/g;

/** The text printf(fmt, args…) prints. */
export function format(fn: string, fmt: string, args: Value[]): string {
  let i = 0;
  const next = (spec: string): Value => {
    const v = args[i++];
    if (!v) throw fault(msg('fault.formatArgs', { fn, want: countSpecs(fmt), got: args.length }));
    void spec;
    return v;
  };
  const out = fmt.replace(
    SPEC,
    (
      spec,
      flags: string,
      width: string | undefined,
      prec: string | undefined,
      len: string | undefined,
      conv: string,
    ) => {
      if (conv === '%') return '%';
      const w = width === '*' ? intArg(fn, spec, next(spec)) : width ? Number(width) : 0;
      const p = prec === '*' ? intArg(fn, spec, next(spec)) : prec !== undefined ? Number(prec) : undefined;
      const v = next(spec);
      let body: string;
      switch (conv) {
        case 'd':
        case 'i':
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
          if (v.k !== 'int') throw bad(fn, spec, v);
          const want = len === 'l' || len === 'll' || len === 'z' || len === 'j' || len === 't' ? 8 : 4;
          if ((want === 8) !== (v.t.size === 8)) throw bad(fn, spec, v);
          let n = exact(v);
          if (conv !== 'd' && conv !== 'i' && n < 0n) n = BigInt.asUintN(want * 8, n);
          if (len === 'h') n = conv === 'd' || conv === 'i' ? BigInt.asIntN(16, n) : BigInt.asUintN(16, n);
          if (len === 'hh') n = conv === 'd' || conv === 'i' ? BigInt.asIntN(8, n) : BigInt.asUintN(8, n);
          const neg = n < 0n;
          let digits = (neg ? -n : n).toString(conv === 'x' || conv === 'X' ? 16 : conv === 'o' ? 8 : 10);
          if (conv === 'X') digits = digits.toUpperCase();
          if (p !== undefined) digits = digits.padStart(p, '0');
          if (flags.includes('#') && n !== 0n && (conv === 'x' || conv === 'X'))
            digits = (conv === 'x' ? '0x' : '0X') + digits;
          const sign = neg ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
          if (flags.includes('0') && !flags.includes('-') && p === undefined)
            digits = digits.padStart(w - sign.length, '0');
          body = sign + digits;
          break;
        }
        case 'c':
          if (v.k !== 'int') throw bad(fn, spec, v);
          body = String.fromCharCode(v.n & 0xff);
          break;
        case 's': {
          if (v.k !== 'ptr') throw bad(fn, spec, v);
          const s = p !== undefined ? boundedString(fn, v, p) : cString(v.p, fn);
          body = s;
          break;
        }
        case 'p':
          if (v.k !== 'ptr') throw bad(fn, spec, v);
          body = v.p ? `0x${(0x7ffc0000 + v.p.off).toString(16)}` : '(nil)';
          break;
        default:
          body = spec;
      }
      return flags.includes('-') ? body.padEnd(w) : body.padStart(w);
    },
  );
  if (i < args.length) throw fault(msg('fault.formatArgs', { fn, want: i, got: args.length }));
  return out;
}

function countSpecs(fmt: string): number {
  let n = 0;
  for (const m of fmt.matchAll(SPEC))
    if (m[5] !== '%') n += 1 + (m[2] === '*' ? 1 : 0) + (m[3] === '*' ? 1 : 0);
  return n;
}

function intArg(fn: string, spec: string, v: Value): number {
  if (v.k !== 'int') throw bad(fn, spec, v);
  return v.n;
}

function bad(fn: string, spec: string, v: Value) {
  const got = v.k === 'void' ? 'void' : typeName(v.t);
  return fault(msg('fault.format', { fn, detail: `${spec} ← ${got}` }));
}

/** At most max bytes of the string at v (%.*s): no NUL needed within them. */
function boundedString(fn: string, v: Value & { k: 'ptr' }, max: number): string {
  if (!v.p) throw fault(msg('fault.nullPointer', { what: 'NULL' }));
  const b = v.p.block;
  const bytes: number[] = [];
  for (let i = v.p.off; i < b.size && bytes.length < max; i++) {
    if (!b.init[i]) throw fault(msg('fault.noString', { fn, what: b.name }));
    if (b.bytes[i] === 0) break;
    bytes.push(b.bytes[i]!);
  }
  if (bytes.length < max && v.p.off + bytes.length >= b.size)
    throw fault(msg('fault.noString', { fn, what: b.name }));
  return new TextDecoder().decode(Uint8Array.from(bytes));
}
