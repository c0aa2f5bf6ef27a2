/**
 * `DYN_LOG` text to directives, exactly as tracing-subscriber 0.3.20+ parses them (Dynamo builds
 * its filter with `EnvFilter::builder().with_default_directive(info).from_env_lossy()`):
 * - the text is split on every `,` (even inside `{...}`), empty pieces dropped;
 * - each piece goes through tracing's state machine; pieces that fail are ignored (lossy);
 * - the machine walks the *trimmed* piece but slices the *untrimmed* one by the same byte
 *   offsets, so a piece with leading or trailing white space keeps it in its target name:
 *   ` info` is the target " info", not the level info.
 *
 * Receives: the filter text. Emits: one report per piece (directive or error) for the compiler
 * and for the warnings.
 */
import type { LevelFilter } from "../model/level.js";
import { TRACE } from "../model/level.js";
import { parseLevelFilter } from "./level-filter.js";
import { parseValueMatch, type ValueMatch } from "./value-match.js";

export interface FieldMatch {
  name: string;
  value: ValueMatch | null;
}

export interface Directive {
  target: string | null;
  span: string | null;
  fields: FieldMatch[];
  level: LevelFilter;
}

export type PieceReport =
  | { piece: string; directive: Directive }
  | { piece: string; error: string; directive?: undefined };

export const LEVEL_ERROR =
  'error parsing level filter: expected one of "off", "error", "warn", "info", "debug", "trace", or a number 0-5';
export const INVALID = "invalid filter directive";

class DirectiveError extends Error {}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });
const WHITE_SPACE = /^\p{White_Space}+|\p{White_Space}+$/gu;

/** Splits and parses the whole filter text. */
export function parseDirectives(text: string): PieceReport[] {
  const reports: PieceReport[] = [];
  for (const piece of text.split(",")) {
    if (piece === "") continue;
    try {
      reports.push({ piece, directive: parseDirective(piece) });
    } catch (err) {
      reports.push({ piece, error: err instanceof DirectiveError ? err.message : INVALID });
    }
  }
  return reports;
}

type State =
  | { kind: "start" }
  | { kind: "levelOrTarget"; start: number }
  | { kind: "span"; start: number }
  | { kind: "field"; start: number }
  | { kind: "fields" }
  | { kind: "target" }
  | { kind: "level"; start: number };

function isAlphanumeric(ch: string): boolean {
  return /^[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]$/u.test(ch);
}

/** Parses one comma-free piece; throws `DirectiveError` as tracing would fail. */
export function parseDirective(piece: string): Directive {
  const bytes = encoder.encode(piece);
  // Byte slice of the untrimmed piece, as Rust's `&from[a..b]` (which panics off a char
  // boundary; that is reported as an invalid directive here).
  const slice = (a: number, b = bytes.length): string => {
    try {
      return decoder.decode(bytes.subarray(a, b));
    } catch {
      throw new DirectiveError(INVALID);
    }
  };
  const result: Directive = { target: null, span: null, fields: [], level: TRACE };
  let state: State = { kind: "start" };
  let offset = 0;
  for (const ch of piece.replace(WHITE_SPACE, "")) {
    const i = offset;
    offset += encoder.encode(ch).length;
    state = step(state, ch, i, result, slice);
  }
  switch (state.kind) {
    case "levelOrTarget": {
      const word = slice(state.start);
      const level = word === "" ? TRACE : parseLevelFilter(word);
      if (level !== undefined) result.level = level;
      else result.target = word;
      break;
    }
    case "level":
      result.level = levelOf(slice(state.start));
      break;
    case "target":
      break;
    default:
      throw new DirectiveError(INVALID);
  }
  return result;
}

function levelOf(text: string): LevelFilter {
  if (text === "") return TRACE;
  const level = parseLevelFilter(text);
  if (level === undefined) throw new DirectiveError(LEVEL_ERROR);
  return level;
}

function step(
  state: State,
  ch: string,
  i: number,
  result: Directive,
  slice: (a: number, b?: number) => string,
): State {
  switch (state.kind) {
    case "start":
      if (ch === "[") return { kind: "span", start: i + 1 };
      if (ch !== "-" && ch !== ":" && ch !== "_" && !isAlphanumeric(ch)) {
        throw new DirectiveError(INVALID);
      }
      return { kind: "levelOrTarget", start: i };
    case "levelOrTarget":
      if (ch === "=") {
        result.target = slice(state.start, i);
        return { kind: "level", start: i + 1 };
      }
      if (ch === "[") {
        result.target = slice(state.start, i);
        return { kind: "span", start: i + 1 };
      }
      return state;
    case "target":
      if (ch === "=") return { kind: "level", start: i + 1 };
      throw new DirectiveError(INVALID);
    case "span":
      if (ch === "]") {
        result.span = slice(state.start, i);
        return { kind: "target" };
      }
      if (ch === "{") {
        const name = slice(state.start, i);
        result.span = name === "" ? null : name;
        return { kind: "field", start: i + 1 };
      }
      return state;
    case "field":
      if (ch === "}" || ch === ",") {
        result.fields.push(parseField(slice(state.start, i)));
        return ch === "}" ? { kind: "fields" } : { kind: "field", start: i + 1 };
      }
      return state;
    case "fields":
      if (ch === "]") return { kind: "target" };
      throw new DirectiveError(INVALID);
    case "level":
      return state;
  }
}

/** `name` or `name=value`; like tracing, only the text up to a second `=` is the value. */
function parseField(text: string): FieldMatch {
  if (text === "") throw new DirectiveError(INVALID);
  const parts = text.split("=");
  const name = parts[0] as string;
  if (parts.length < 2) return { name, value: null };
  try {
    return { name, value: parseValueMatch(parts[1] as string) };
  } catch (err) {
    throw new DirectiveError(`invalid field filter: ${(err as Error).message}`);
  }
}

/** Tracing's Display of a directive (used in warnings). */
export function formatDirective(d: Directive): string {
  const names = ["off", "error", "warn", "info", "debug", "trace"];
  let out = d.target ?? "";
  if (d.span !== null || d.fields.length > 0) {
    out += "[" + (d.span ?? "");
    if (d.fields.length > 0) {
      out += "{" + d.fields.map((f) => f.name + (f.value ? "=" + valueText(f.value) : "")) + "}";
    }
    out += "]";
  }
  const level = names[d.level] as string;
  return out === "" ? level : out + "=" + level;
}

function valueText(v: ValueMatch): string {
  switch (v.kind) {
    case "pattern":
      return v.source;
    case "nan":
      return "NaN";
    default:
      return String(v.value);
  }
}
