/**
 * The one regular-expression engine for patterns that come from users or from log data: RE2
 * semantics on a linear-time automaton (re2js, pure JavaScript), so no pattern and no log line can
 * make a match run for long. JavaScript's `RegExp` backtracks (`(a+)+b` over forty `a`s and a `c`
 * runs for minutes) and must not be used for such patterns.
 *
 * The engine is loaded on demand (it is a quarter of a megabyte of code most runs never need):
 * `loadLinearRegex()` once, before the first `compileLinearRegex`.
 *
 * Receives: a pattern in RE2 syntax. Emits: a compiled pattern, or `LinearRegexError`.
 */
import type { RE2JS } from "re2js";

type Engine = typeof import("re2js");

let engine: Engine | null = null;

/** Loads the engine (idempotent). */
export async function loadLinearRegex(): Promise<void> {
  engine ??= await import("re2js");
}

export class LinearRegexError extends Error {}

export interface LinearRegex {
  readonly source: string;
  /** Whether the pattern matches anywhere in the text. */
  search(text: string): boolean;
  /** The end offset (UTF-16) of the leftmost match, or -1. */
  leftmostEnd(text: string): number;
}

/** Compiles a pattern; throws `LinearRegexError` (with RE2's reason) when it is invalid. */
export function compileLinearRegex(source: string): LinearRegex {
  if (engine === null) throw new Error("compileLinearRegex before loadLinearRegex");
  let pattern: RE2JS;
  try {
    pattern = engine.RE2JS.compile(source);
  } catch (err) {
    if (err instanceof engine.RE2JSSyntaxException) {
      throw new LinearRegexError((err as Error).message.replace(/^error parsing regexp: /, ""));
    }
    throw err;
  }
  return {
    source,
    search: (text) => pattern.matcher(text).find(),
    leftmostEnd: (text) => {
      const m = pattern.matcher(text);
      return m.find() ? m.end() : -1;
    },
  };
}
