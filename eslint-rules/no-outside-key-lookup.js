/**
 * no-outside-key-lookup (issue 12): no lookup by a key that may come from outside on an object
 * that inherits from Object.prototype. `obj[key]` and `key in obj` with `key` a string that is
 * not a literal find "constructor", "toString" or "__proto__" on every plain object; a lesson,
 * a trace or a page would get the prototype's function where the code expects its own value.
 *
 * Typed (parserServices): the key's type decides. Flagged when the key's type admits one of
 * Object.prototype's names (`string`, `any`, a template type such as `${string}.c`). Not
 * flagged:
 * - keys typed as numbers, symbols, unions of literals (`keyof X`, 'a' | 'b') or templates
 *   that no prototype name fits (`s${number}`): the code chose them;
 * - a lookup guarded by `Object.hasOwn(obj, key)` (`&&`, `?:`, `if`, or an early
 *   `if (!Object.hasOwn(obj, key)) return|throw|continue|break`);
 * - keys that are the object's own: `for (const k in obj)`, `for (const k of Object.keys(obj))`
 *   (and of Object.entries' first element);
 * - objects that have no prototype: a variable initialised with `Object.create(null)` (or a
 *   literal with `__proto__: null`), or a value typed as the contract's `Dict<V>`
 *   (app/contract/own.ts: `dict()` makes one; `own(record, key)` reads any record safely);
 * - Maps, Sets and arrays are not element-accessed by string keys in this code base: an
 *   array or a string indexed by a string is flagged like any object.
 * Writes (`obj[key] = v`) are not lookups and are left alone.
 */
import ts from 'typescript';

/** The brand property of app/contract/own.ts's Dict<V>. */
const NULL_PROTO_BRAND = '__nullPrototype';
/** Every name a plain object inherits. */
const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype);

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: {
      description:
        'disallow lookups by a non-literal string key on objects that inherit from Object.prototype',
    },
    schema: [],
    messages: {
      lookup:
        'lookup by the outside key `{{key}}` on `{{obj}}`, which inherits from Object.prototype: ' +
        'use a Map, own(record, key), a Dict (Object.create(null)), or guard with Object.hasOwn',
      inCheck:
        "`{{key}} in {{obj}}` finds Object.prototype's names: use Object.hasOwn({{obj}}, {{key}}) or a Map",
    },
  },
  create(context) {
    const services = context.sourceCode.parserServices;
    if (!services?.program || !services.esTreeNodeToTSNodeMap) {
      throw new Error('no-outside-key-lookup needs type information (parserOptions.projectService)');
    }
    const checker = services.program.getTypeChecker();
    const source = context.sourceCode;
    const typeOf = (node) => checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(node));
    const text = (node) => source.getText(skipWrappers(node)).replace(/\s+/g, '');

    /**
     * Whether a key of type `t` admits a name Object.prototype has ("constructor",
     * "__proto__", "toString"…): `string`, `any`, most template literal types, a union
     * holding one. `keyof X`, `'a' | 'b'`, numbers and `s${number}` do not.
     */
    function outsideString(t) {
      if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
      // keyof T: the code's own keys, whatever T is.
      if (t.flags & ts.TypeFlags.Index) return false;
      if (t.flags & ts.TypeFlags.TypeParameter) {
        // The constraint as written (`K extends keyof T`), not as resolved (string | number | symbol).
        const node = t.symbol?.declarations?.[0]?.constraint;
        const c = node ? checker.getTypeFromTypeNode(node) : t.getConstraint();
        return c ? outsideString(c) : true;
      }
      if (t.isUnion()) return t.types.some(outsideString);
      return protoNames().some((n) => checker.isTypeAssignableTo(n, t));
    }
    let protoTypes = null;
    const protoNames = () => (protoTypes ??= PROTO_NAMES.map((n) => checker.getStringLiteralType(n)));

    /** Whether values of type `t` have no prototype (the Dict brand). */
    function branded(t) {
      if (t.isUnion()) return t.types.every((u) => u.flags & ts.TypeFlags.Nullable || branded(u));
      if (t.isIntersection()) return t.types.some(branded);
      return !!t.getProperty(NULL_PROTO_BRAND);
    }

    /** The variable `node` names, if it is an identifier. */
    function variableOf(node) {
      const n = skipWrappers(node);
      if (n.type !== 'Identifier') return null;
      let scope = source.getScope(n);
      while (scope) {
        const v = scope.set.get(n.name);
        if (v) return v;
        scope = scope.upper;
      }
      return null;
    }

    /** Whether `obj` is a variable initialised with an object that has no prototype. */
    function nullProtoVariable(obj) {
      const v = variableOf(obj);
      if (!v) return false;
      return v.defs.some((d) => d.type === 'Variable' && d.node.init && isNullProtoValue(d.node.init));
    }

    /** Whether `key` is a variable holding one of `obj`'s own keys (for…in, Object.keys). */
    function ownKeyVariable(key, obj) {
      const v = variableOf(key);
      if (!v) return false;
      const objText = text(obj);
      return v.defs.some((d) => {
        if (d.type !== 'Variable') return false;
        const decl = d.node.parent;
        const loop = decl?.parent;
        if (!loop || loop.left !== decl) return false;
        if (loop.type === 'ForInStatement') return text(loop.right) === objText;
        if (loop.type !== 'ForOfStatement') return false;
        const r = skipWrappers(loop.right);
        if (!isObjectCall(r, 'keys') && !isObjectCall(r, 'entries')) return false;
        if (text(r.arguments[0]) !== objText) return false;
        if (isObjectCall(r, 'keys')) return d.node.id.type === 'Identifier';
        // entries: const [k, v] of Object.entries(obj) — only the first element is a key.
        return d.node.id.type === 'ArrayPattern' && d.node.id.elements[0] === d.name;
      });
    }

    /** Whether `Object.hasOwn(obj, key)` (or its negation with `negated`) is what `test` says. */
    function guards(test, objText, keyText, negated) {
      const t = skipWrappers(test);
      if (t.type === 'UnaryExpression' && t.operator === '!')
        return guards(t.argument, objText, keyText, !negated);
      if (t.type === 'LogicalExpression') {
        // a && b holds both; !(a || b) holds both negations.
        if (t.operator === '&&' && !negated)
          return guards(t.left, objText, keyText, false) || guards(t.right, objText, keyText, false);
        if (t.operator === '||' && negated)
          return guards(t.left, objText, keyText, true) || guards(t.right, objText, keyText, true);
        return false;
      }
      if (negated) return false;
      return (
        isObjectCall(t, 'hasOwn') &&
        t.arguments.length === 2 &&
        text(t.arguments[0]) === objText &&
        text(t.arguments[1]) === keyText
      );
    }

    /** Whether the lookup `node` of `obj[key]` only runs where Object.hasOwn(obj, key) held. */
    function guarded(node, obj, key) {
      const objText = text(obj);
      const keyText = text(key);
      let child = node;
      for (let p = node.parent; p; child = p, p = p.parent) {
        if (p.type === 'LogicalExpression' && p.operator === '&&' && p.right === child) {
          if (guards(p.left, objText, keyText, false)) return true;
        } else if (p.type === 'ConditionalExpression' || p.type === 'IfStatement') {
          if (p.consequent === child && guards(p.test, objText, keyText, false)) return true;
          if (p.alternate === child && guards(p.test, objText, keyText, true)) return true;
        } else if (p.type === 'BlockStatement' || p.type === 'Program' || p.type === 'SwitchCase') {
          const body = p.type === 'SwitchCase' ? p.consequent : p.body;
          for (const s of body) {
            if (s === child) break;
            if (
              s.type === 'IfStatement' &&
              !s.alternate &&
              exits(s.consequent) &&
              guards(s.test, objText, keyText, true)
            )
              return true;
          }
        }
        if (p.type.startsWith('Function') || p.type === 'ArrowFunctionExpression') {
          // A guard outside a function still holds inside it only if nothing reassigns: stop here.
          return false;
        }
        // Assignments to the key or object between guard and lookup are not tracked.
      }
      return false;
    }

    function check(node, obj, key, kind) {
      if (key.type === 'Literal' || key.type === 'PrivateIdentifier') return;
      if (key.type === 'TemplateLiteral' && key.expressions.length === 0) return;
      if (!outsideString(typeOf(key))) return;
      if (isNullProtoValue(obj) || nullProtoVariable(obj) || branded(typeOf(obj))) return;
      if (ownKeyVariable(key, obj)) return;
      if (guarded(node, obj, key)) return;
      context.report({
        node,
        messageId: kind,
        data: { key: short(source.getText(key)), obj: short(source.getText(obj)) },
      });
    }

    return {
      MemberExpression(node) {
        if (!node.computed) return;
        // A write target is no lookup (`obj[k] = v`, `obj[k] ??= v` reads first: checked).
        const p = node.parent;
        if (p.type === 'AssignmentExpression' && p.left === node && p.operator === '=') return;
        if (p.type === 'UnaryExpression' && p.operator === 'delete') return;
        if ((p.type === 'ForInStatement' || p.type === 'ForOfStatement') && p.left === node) return;
        if (p.type === 'ArrayPattern' || (p.type === 'Property' && p.parent.type === 'ObjectPattern')) return;
        check(node, node.object, node.property, 'lookup');
      },
      BinaryExpression(node) {
        if (node.operator !== 'in' || node.left.type === 'PrivateIdentifier') return;
        check(node, node.right, node.left, 'inCheck');
      },
    };
  },
};

/** `node` without parentheses, `as`, `!` and `satisfies`. */
function skipWrappers(node) {
  let n = node;
  while (
    n.type === 'TSAsExpression' ||
    n.type === 'TSNonNullExpression' ||
    n.type === 'TSSatisfiesExpression' ||
    n.type === 'TSTypeAssertion' ||
    n.type === 'ChainExpression'
  )
    n = n.expression;
  return n;
}

/** `Object.<name>(…)`. */
function isObjectCall(n, name) {
  return (
    n.type === 'CallExpression' &&
    n.callee.type === 'MemberExpression' &&
    !n.callee.computed &&
    n.callee.object.type === 'Identifier' &&
    n.callee.object.name === 'Object' &&
    n.callee.property.type === 'Identifier' &&
    n.callee.property.name === name
  );
}

/** `Object.create(null)`, or an object literal with `__proto__: null`. */
function isNullProtoValue(node) {
  const n = skipWrappers(node);
  if (isObjectCall(n, 'create')) {
    const a = n.arguments[0];
    return !!a && a.type === 'Literal' && a.value === null;
  }
  if (n.type === 'ObjectExpression') {
    return n.properties.some(
      (p) =>
        p.type === 'Property' &&
        !p.computed &&
        ((p.key.type === 'Identifier' && p.key.name === '__proto__') ||
          (p.key.type === 'Literal' && p.key.value === '__proto__')) &&
        p.value.type === 'Literal' &&
        p.value.value === null,
    );
  }
  return false;
}

/** Whether a statement always leaves its block (return, throw, continue, break). */
function exits(s) {
  if (s.type === 'BlockStatement') return s.body.length > 0 && exits(s.body[s.body.length - 1]);
  return (
    s.type === 'ReturnStatement' ||
    s.type === 'ThrowStatement' ||
    s.type === 'ContinueStatement' ||
    s.type === 'BreakStatement'
  );
}

function short(s) {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 39)}…` : one;
}
