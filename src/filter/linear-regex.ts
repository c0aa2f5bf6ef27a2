/**
 * The one regular-expression engine for patterns that come from the command line and run over log
 * data: RE2 semantics in linear time (re2js, pure JavaScript), so no pattern and no log line can
 * stall a run, as the `regex` crate behind Dynamo's filters cannot. JavaScript's backtracking
 * `RegExp` must never see such a pattern: `(a+)+b` over forty `a`s takes minutes there.
 *
 * Syntax is RE2's (that of Rust's `regex` crate, minus look-around and backreferences, which
 * neither has): `\A`, `\z`, `(?i)`, `(?s)`, `(?m)`, `(?U)`, classes, repetition. Matching is
 * leftmost-first, as Rust's; offsets are UTF-16 indices into the text.
 *
 * The engine is loaded on the first pattern, not at start-up: most runs have none, and loading it
 * costs each process and each worker thread about 20 ms.
 *
 * Receives: a pattern. Emits: a compiled matcher, or a `LinearRegexError` naming what is wrong.
 */
import type { RE2JS } from "re2js";
import { onFirstUse } from "../model/dependencies.js";

/** The engine, loaded on the first pattern. */
const re2 = onFirstUse("re2js", (exports: { RE2JS: typeof RE2JS }) => exports.RE2JS);

export interface LinearRegexFlags {
  /** `(?i)` for the whole pattern. */
  readonly ignoreCase?: boolean;
}

/** A pattern RE2 cannot compile: the message says why, without the engine's name. */
export class LinearRegexError extends Error {}

export interface LinearRegex {
  readonly source: string;
  /** Whether the pattern matches anywhere in `text`. */
  test(text: string): boolean;
  /** The leftmost-first match as `[start, end)` offsets, or null. */
  firstMatch(text: string): [number, number] | null;
}

export function compileLinearRegex(source: string, flags: LinearRegexFlags = {}): LinearRegex {
  const RE2 = re2();
  let compiled: RE2JS;
  try {
    compiled = RE2.compile(source, flags.ignoreCase ? RE2.CASE_INSENSITIVE : 0);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new LinearRegexError(reason.replace(/^error parsing regexp: /, ""));
  }
  return {
    source,
    test: (text) => compiled.matcher(text).find(),
    firstMatch(text) {
      const m = compiled.matcher(text);
      return m.find() ? [m.start(), m.end()] : null;
    },
  };
}
