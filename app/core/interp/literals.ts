/**
 * C's literals: integers (decimal, hex, octal, suffixes), characters and strings with their
 * escape sequences, as bytes.
 */
import { msg } from '../../contract/schema';
import type { SNode as Node } from './ast';
import { fault } from './memory';
import { promote, T, type IntType } from './types';
import { bigVal, exact, type IntValue } from './values';
import { own } from '../../contract/own';

/** An integer literal: decimal, hex, octal, with u/l suffixes. */
export function numberLiteral(text: string): IntValue {
  // tree-sitter folds a leading minus into the literal where it can (`-7 / 2`).
  if (text.startsWith('-')) {
    const v = numberLiteral(text.slice(1));
    return bigVal(-exact(v), promote(v.t));
  }
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$/.exec(text);
  if (!m) throw fault(msg('fault.unsupported', { construct: `the number ${text}` }));
  const digits = m[1]!;
  // Exactly: a literal may need all 64 bits (18446744073709551615UL).
  const x = BigInt(
    digits.length > 1 && digits[0] === '0' && !/[xX]/.test(digits) ? `0o${digits.slice(1)}` : digits,
  );
  const n = Number(x);
  const suf = m[2]!.toLowerCase();
  const unsigned = suf.includes('u');
  const long = suf.includes('l') || n > 0xffffffff || (!unsigned && n > 0x7fffffff && !/[xX]/.test(digits));
  const t: IntType = long ? (unsigned ? T.ulong : T.long) : unsigned || n > 0x7fffffff ? T.uint : T.int;
  return bigVal(x, t);
}

const ESCAPES: Record<string, number> = {
  n: 10,
  t: 9,
  r: 13,
  '0': 0,
  '\\': 92,
  "'": 39,
  '"': 34,
  a: 7,
  b: 8,
  f: 12,
  v: 11,
  '?': 63,
};

/** The bytes of an escape sequence's text (`\n`, `\x41`, `\101`). */
function escape(text: string): number[] {
  const s = text.slice(1);
  if (s[0] === 'x') return [parseInt(s.slice(1), 16) & 0xff];
  if (/^[0-7]{1,3}$/.test(s)) return [parseInt(s, 8) & 0xff];
  const e = own(ESCAPES, s);
  if (e === undefined) throw fault(msg('fault.unsupported', { construct: `the escape ${text}` }));
  return [e];
}

/** A string literal's bytes (adjacent literals joined), without the NUL. */
export function stringBytes(n: Node): Uint8Array {
  const out: number[] = [];
  const parts = n.type === 'concatenated_string' ? n.namedChildren : [n];
  const enc = new TextEncoder();
  for (const part of parts) {
    if (!part || part.type !== 'string_literal') continue;
    for (const c of part.namedChildren) {
      if (!c) continue;
      if (c.type === 'escape_sequence') out.push(...escape(c.text));
      else out.push(...enc.encode(c.text));
    }
  }
  return Uint8Array.from(out);
}

export function charLiteral(n: Node): number {
  const c = n.namedChild(0);
  if (!c) return 0;
  if (c.type === 'escape_sequence') return escape(c.text)[0]!;
  const b = new TextEncoder().encode(c.text);
  return b.length === 1 ? (b[0]! << 24) >> 24 : b[0]!;
}
