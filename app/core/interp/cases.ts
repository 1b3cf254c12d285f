/**
 * Which label of a switch the program goes to. C converts each case label to the promoted
 * type of the controlling expression and compares there; the comparison is exact (a value
 * of eight bytes may pass 2^53, where a JavaScript number would round).
 */
import { msg } from '../../contract/schema';
import type { SNode as Node } from './ast';
import { fault } from './memory';
import { promote } from './types';
import { bigVal, exact, type Value } from './values';

/** The index in `cases` of the label `v` matches, else of `default:`, else -1. */
export function caseIndex(cases: readonly Node[], v: Value, label: (n: Node) => Value): number {
  const t = v.k === 'int' ? promote(v.t) : null;
  const x = v.k === 'int' && t ? exact(bigVal(exact(v), t)) : 0n;
  const hit = cases.findIndex((c) => {
    const val = c.childForFieldName('value');
    if (val === null) return false;
    const l = label(val);
    if (l.k !== 'int') throw fault(msg('fault.unsupported', { construct: `the case label ${val.text}` }));
    return exact(t ? bigVal(exact(l), t) : l) === x;
  });
  return hit >= 0 ? hit : cases.findIndex((c) => c.childForFieldName('value') === null);
}
