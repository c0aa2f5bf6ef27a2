/**
 * Span field value matchers of `target[span{field=value}]` directives, with EnvFilter's rules:
 * the value is tried as a bool, u64, i64, f64, then as a regular expression. A regex matches a
 * string value when its leftmost match ends exactly at the end of the value (the matchers crate
 * runs an unanchored DFA and asks for a match at end of input): `ST` matches `POST`, `"POST"`
 * matches only a Debug-recorded `"POST"`. Numbers and bools only match values recorded as such.
 * Patterns run on the linear-time engine (filter/linear-regex.ts), as the crate's DFA runs in
 * linear time: no pattern and no value can stall a run.
 *
 * Receives: the value text of a directive. Emits: a matcher over a record field.
 */
import type { Field } from "../model/record.js";
import { compileLinearRegex, type LinearRegex } from "./linear-regex.js";

export type ValueMatch =
  | { kind: "bool"; value: boolean }
  | { kind: "u64"; value: bigint }
  | { kind: "i64"; value: bigint }
  | { kind: "f64"; value: number }
  | { kind: "nan" }
  | { kind: "pattern"; source: string; regex: LinearRegex };

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
/** Rust's `f64::from_str` grammar (decimal, exponent, inf/infinity/nan in any case). */
const F64_SYNTAX = /^[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)$/i;

/** Parses a directive value; throws when it is an invalid regular expression. */
export function parseValueMatch(text: string): ValueMatch {
  if (text === "true" || text === "false") return { kind: "bool", value: text === "true" };
  if (/^\+?[0-9]+$/.test(text)) {
    const v = BigInt(text.replace(/^\+/, ""));
    if (v <= U64_MAX) return { kind: "u64", value: v };
  }
  if (/^[+-]?[0-9]+$/.test(text)) {
    const v = BigInt(text.replace(/^\+/, ""));
    if (v >= I64_MIN && v <= I64_MAX) return { kind: "i64", value: v };
  }
  if (F64_SYNTAX.test(text)) {
    const v = parseRustFloat(text);
    return Number.isNaN(v) ? { kind: "nan" } : { kind: "f64", value: v };
  }
  return { kind: "pattern", source: text, regex: compileRustRegex(text) };
}

function parseRustFloat(text: string): number {
  const lower = text.toLowerCase().replace(/^\+/, "");
  if (lower === "inf" || lower === "infinity") return Number.POSITIVE_INFINITY;
  if (lower === "-inf" || lower === "-infinity") return Number.NEGATIVE_INFINITY;
  if (lower === "nan" || lower === "-nan") return Number.NaN;
  return Number(lower.endsWith(".") ? lower.slice(0, -1) : lower);
}

/**
 * Rust's regex syntax is RE2's. Leading inline flags are taken apart: `i` applies to the whole
 * pattern; `m` and `s` stay inline (RE2 has them); `x` (verbose) is dropped, as it always was.
 */
function compileRustRegex(source: string): LinearRegex {
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  if (!inline) return compileLinearRegex(source);
  const letters = inline[1] as string;
  const kept = letters.replace(/[ix]/g, "");
  const body = (kept === "" ? "" : `(?${kept})`) + source.slice(inline[0].length);
  return compileLinearRegex(body, { ignoreCase: letters.includes("i") });
}

/** Whether a record field satisfies the matcher, by how the value was recorded. */
export function fieldMatches(match: ValueMatch, field: Field): boolean {
  switch (field.kind) {
    case "string":
      return match.kind === "pattern" && patternMatches(match.regex, field.text);
    case "bool":
      return match.kind === "bool" && match.value === (field.raw === "true");
    case "number":
      return numberMatches(match, field.raw);
    default:
      return false;
  }
}

function patternMatches(regex: LinearRegex, text: string): boolean {
  const m = regex.firstMatch(text);
  return m !== null && m[1] === text.length;
}

function numberMatches(match: ValueMatch, raw: string): boolean {
  const integer = /^-?[0-9]+$/.test(raw);
  if (!integer) {
    const v = Number(raw);
    if (match.kind === "nan") return Number.isNaN(v);
    return match.kind === "f64" && Math.abs(v - match.value) < Number.EPSILON;
  }
  const v = BigInt(raw);
  if (match.kind === "u64") return v === match.value;
  // A negative integer was recorded as i64; tracing compares it with i64 and u64 matchers.
  return match.kind === "i64" && v < 0n && v === match.value;
}
