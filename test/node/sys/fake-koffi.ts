/**
 * A stand-in for koffi, for the macOS and Windows layers that cannot load their libraries
 * here: `load` gives a library whose functions record each call (name and arguments) and
 * answer from `impl`; `errno()` answers `errno`. It checks which calls a layer makes, with
 * which numbers, and how it reads their answers: not the platform itself.
 */

/** One recorded call. */
export interface Call {
  name: string;
  args: unknown[];
}

/** What the fake library answers, and what it saw. */
export interface FakeState {
  loaded: string[];
  protos: string[];
  calls: Call[];
  impl: Record<string, (...args: never[]) => unknown>;
  errno: number;
}

/** A fresh state: no calls, every function answers 0. */
export function fakeState(): FakeState {
  return { loaded: [], protos: [], calls: [], impl: {}, errno: 0 };
}

/** The fake koffi module (its default export) over `state`. */
export function fakeKoffi(state: FakeState): Record<string, unknown> {
  return {
    load(path: string) {
      state.loaded.push(path);
      return {
        func(proto: string) {
          state.protos.push(proto);
          const name = /(\w+)\s*\(/.exec(proto)![1]!;
          const fn = (...args: unknown[]): unknown => {
            state.calls.push({ name, args });
            const h = state.impl[name] as ((...a: unknown[]) => unknown) | undefined;
            return h ? h(...args) : 0;
          };
          fn.async = (...args: unknown[]): void => {
            const cb = args.pop() as (err: unknown, ret: unknown) => void;
            const ret = fn(...args);
            setImmediate(() => cb(null, ret));
          };
          return fn;
        },
      };
    },
    errno: () => state.errno,
    sizeof: () => 8,
  };
}

/** The calls named `name`, their arguments. */
export function callsTo(state: FakeState, name: string): unknown[][] {
  return state.calls.filter((c) => c.name === name).map((c) => c.args);
}
