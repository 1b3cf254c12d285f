/**
 * Initializers: `int n = 0;`, `char buf[1024] = {0};`, `char msg[] = "hello";`,
 * `struct sockaddr_in addr = { .sin_family = AF_INET };`, `struct pollfd fds[2] = {{fd, POLLIN}}`.
 * What an initializer list leaves out is zero, as C says.
 */
import type { SNode as Node } from './ast';
import { msg } from '../../contract/schema';
import { fault, fillBytes } from './memory';
import { evaluate, type ExprHost } from './expr';
import { stringBytes } from './literals';
import { sizeOf } from './types';
import { store, type LValue } from './values';

/** Give lv the value of its initializer. */
export async function initialize(h: ExprHost, lv: LValue, init: Node): Promise<void> {
  const t = lv.t;
  if (init.type === 'initializer_list') {
    fillBytes(lv.p, 0, sizeOf(t), lv.name);
    const items = init.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
    if (t.kind === 'array') {
      let i = 0;
      for (const item of items) {
        if (item.type === 'initializer_pair')
          throw fault(msg('fault.unsupported', { construct: 'a designated array initializer' }));
        if (i >= t.len) throw fault(msg('fault.outOfBounds', { what: lv.name, index: i, size: t.len }));
        const el: LValue = {
          p: { block: lv.p.block, off: lv.p.off + i * sizeOf(t.of) },
          t: t.of,
          name: `${lv.name}[${i}]`,
        };
        await initialize(h, el, item);
        i++;
      }
      return;
    }
    if (t.kind === 'struct') {
      let next = 0;
      for (const item of items) {
        let value = item;
        let idx = next;
        if (item.type === 'initializer_pair') {
          const d = item.childForFieldName('designator');
          const name = d?.text.replace(/^\./, '') ?? '';
          idx = t.fields.findIndex((f) => f.name === name);
          if (idx < 0) throw fault(msg('fault.undeclared', { name: `${lv.name}.${name}` }));
          value = item.childForFieldName('value')!;
        }
        const f = t.fields[idx];
        if (!f) throw fault(msg('fault.outOfBounds', { what: lv.name, index: idx, size: t.fields.length }));
        await initialize(
          h,
          { p: { block: lv.p.block, off: lv.p.off + f.offset }, t: f.type, name: `${lv.name}.${f.name}` },
          value,
        );
        next = idx + 1;
      }
      return;
    }
    // int x = {5};
    if (items[0]) await initialize(h, lv, items[0]);
    return;
  }
  if (t.kind === 'array' && (init.type === 'string_literal' || init.type === 'concatenated_string')) {
    const bytes = stringBytes(init);
    if (bytes.length > t.len)
      throw fault(msg('fault.outOfBounds', { what: lv.name, index: bytes.length, size: t.len }));
    fillBytes(lv.p, 0, sizeOf(t), lv.name);
    lv.p.block.bytes.set(bytes, lv.p.off);
    return;
  }
  store(lv, await evaluate(h, init));
}
