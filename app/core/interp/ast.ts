/**
 * The syntax tree as plain objects: tree-sitter's nodes, copied once after parsing into
 * objects the interpreter walks without calling into WebAssembly at every step (each access to
 * a web-tree-sitter node marshals it anew). The same shape as the part of tree-sitter's Node
 * the interpreter uses: type, text, fields, children, position.
 */
import type { Node as TsNode, Tree } from 'web-tree-sitter';

export class SNode {
  readonly children: SNode[] = [];
  private readonly fields: (string | null)[] = [];
  private named: SNode[] | null = null;
  private txt: string | null = null;
  /**
   * The same text read with casts to typedef names (casts.ts): `(socklen_t)-1`, which the
   * grammar reads as a subtraction, is `node` wherever no variable has one of the `names`.
   */
  cast: { names: string[]; node: SNode } | null = null;

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly id: number,
    readonly startPosition: { row: number; column: number },
    readonly hasError: boolean,
    readonly source: string,
    readonly startIndex: number,
    readonly endIndex: number,
  ) {}

  get text(): string {
    return (this.txt ??= this.source.slice(this.startIndex, this.endIndex));
  }
  get namedChildren(): SNode[] {
    return (this.named ??= this.children.filter((c) => c.isNamed));
  }
  get namedChildCount(): number {
    return this.namedChildren.length;
  }
  child(i: number): SNode | null {
    return this.children[i] ?? null;
  }
  namedChild(i: number): SNode | null {
    return this.namedChildren[i] ?? null;
  }
  childForFieldName(name: string): SNode | null {
    const i = this.fields.indexOf(name);
    return i < 0 ? null : this.children[i]!;
  }
  /** The field name of the child at `i`, or null. */
  fieldNameForChild(i: number): string | null {
    return this.fields[i] ?? null;
  }
  childrenForFieldName(name: string): SNode[] {
    return this.children.filter((_, i) => this.fields[i] === name);
  }
  /** Adds a child under its field name (building only). */
  add(c: SNode, field: string | null): void {
    this.children.push(c);
    this.fields.push(field);
  }
}

/** The plain copy of a parsed tree's root. */
export function plainTree(tree: Tree, source: string): SNode {
  const cursor = tree.walk();
  const build = (): SNode => {
    const n: TsNode = cursor.currentNode;
    const s = new SNode(
      n.type,
      n.isNamed,
      n.id,
      n.startPosition,
      n.hasError,
      source,
      n.startIndex,
      n.endIndex,
    );
    if (cursor.gotoFirstChild()) {
      do {
        const field = cursor.currentFieldName;
        s.add(build(), field);
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    return s;
  };
  try {
    return build();
  } finally {
    cursor.delete();
  }
}
