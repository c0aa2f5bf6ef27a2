/**
 * `--where` expressions: `key OP value`, where OP is one of
 *
 *   =  equals            !=  differs (or the key is absent)
 *   ~  contains          ~=  matches a regular expression (RE2 syntax, anywhere in the value)
 *   <  <=  >  >=         compare numbers or durations
 *
 * The key is a record key (`level`, `target`, `message`, `span_name`, `trace_id`, `source`, ...) or
 * a field (`x_request_id`, `time.duration_us`). `level` compares by severity: `level>=warn` keeps
 * WARN and ERROR, `level=warn` any spelling of WARN. An ordering compares numbers (`ttft_ms>500`);
 * with a duration (`500ms`, `2s`) it compares durations, reading the record's value as a duration
 * (`1.5s`) or as a number in the unit its name ends in (`ttft_ms`, `time.duration_us`). A value that
 * is absent or not comparable does not satisfy `=`, `~`, `~=` or an ordering.
 *
 * A clause is plain data (it crosses to worker threads); `compileWhere` makes its test.
 *
 * Receives: expression text. Emits: a clause, or `WhereSyntaxError` with the position at fault.
 */
import { type Level, parseRecordLevel } from "../model/level.js";
import type { LogRecord } from "../model/record.js";
import { parseDurationUs, unitOfName } from "../parse/duration.js";
import { lookupValue } from "../parse/normalize.js";
import { compileLinearRegex, LinearRegexError } from "./linear-regex.js";

export type WhereOp = "=" | "!=" | "~" | "~=" | "<" | "<=" | ">" | ">=";

export interface WhereClause {
  key: string;
  op: WhereOp;
  value: string;
  /** The expression as written (for messages). */
  text: string;
}

/** What is wrong, and where (0-based offset into the expression). */
export class WhereSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly position: number,
  ) {
    super(reason);
  }
}

/** Operators, longest first so `!=` is not read as `!` then `=`. */
const OPS: readonly WhereOp[] = ["!=", "~=", "<=", ">=", "=", "~", "<", ">"];
const OP_START = /[=!~<>]/;

export function parseWhere(text: string): WhereClause {
  const at = text.search(OP_START);
  if (at < 0) {
    throw new WhereSyntaxError("expected an operator (= != ~ ~= < <= > >=)", text.length);
  }
  const key = text.slice(0, at);
  if (key.trim() === "") throw new WhereSyntaxError("expected a key before the operator", 0);
  if (/\s/.test(key)) throw new WhereSyntaxError("a key has no spaces", key.search(/\s/));
  const op = OPS.find((o) => text.startsWith(o, at));
  if (op === undefined) {
    throw new WhereSyntaxError("expected an operator (= != ~ ~= < <= > >=)", at);
  }
  const clause: WhereClause = { key, op, value: text.slice(at + op.length), text };
  compileWhere(clause); // reports a bad value now, with its position
  return clause;
}

export type WhereTest = (rec: LogRecord) => boolean;

/** The clause as a test over records. Throws `WhereSyntaxError` for a value that cannot be used. */
export function compileWhere(clause: WhereClause): WhereTest {
  const { key, op, value } = clause;
  const valueAt = clause.text.length - value.length;
  if (key === "level" && op !== "~" && op !== "~=") {
    const level = levelOf(value);
    if (level !== null) return levelTest(op, level);
    if (op !== "=" && op !== "!=") {
      throw new WhereSyntaxError("expected a level (error, warn, info, debug, trace)", valueAt);
    }
  }
  switch (op) {
    case "=":
      return (rec) => lookupValue(rec, key) === value;
    case "!=":
      return (rec) => lookupValue(rec, key) !== value;
    case "~":
      return (rec) => lookupValue(rec, key)?.includes(value) === true;
    case "~=": {
      let regex: ReturnType<typeof compileLinearRegex>;
      try {
        regex = compileLinearRegex(value);
      } catch (err) {
        if (err instanceof LinearRegexError) {
          throw new WhereSyntaxError(`invalid regular expression: ${err.message}`, valueAt);
        }
        throw err;
      }
      return (rec) => {
        const v = lookupValue(rec, key);
        return v !== undefined && regex.test(v);
      };
    }
    default:
      return orderingTest(clause, valueAt);
  }
}

function levelOf(text: string): Level | null {
  const level = parseRecordLevel(text);
  return level === 0 ? null : level;
}

/** Severity grows as the level number falls (ERROR = 1 ... TRACE = 5). */
function levelTest(op: WhereOp, level: Level): WhereTest {
  switch (op) {
    case "=":
      return (rec) => rec.kind !== "unparsed" && rec.level === level;
    case "!=":
      return (rec) => rec.kind === "unparsed" || rec.level !== level;
    case ">":
      return (rec) => rec.kind !== "unparsed" && rec.level < level;
    case ">=":
      return (rec) => rec.kind !== "unparsed" && rec.level <= level;
    case "<":
      return (rec) => rec.kind !== "unparsed" && rec.level > level;
    default:
      return (rec) => rec.kind !== "unparsed" && rec.level >= level;
  }
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function orderingTest(clause: WhereClause, valueAt: number): WhereTest {
  const { key, op, value } = clause;
  const trimmed = value.trim();
  let bound: number;
  let read: (text: string) => number;
  const duration = parseDurationUs(trimmed);
  if (duration !== null) {
    bound = duration;
    const unit = unitOfName(key);
    read = (text) => {
      if (NUMBER.test(text)) return unit === null ? Number.NaN : Number(text) * unit;
      return parseDurationUs(text) ?? Number.NaN;
    };
  } else if (NUMBER.test(trimmed)) {
    bound = Number(trimmed);
    read = (text) => (NUMBER.test(text) ? Number(text) : Number.NaN);
  } else {
    throw new WhereSyntaxError(
      `expected a number or a duration (500, 2.5, 500ms, 3s) after '${op}'`,
      valueAt,
    );
  }
  const compare = COMPARE[op as "<" | "<=" | ">" | ">="];
  return (rec) => {
    const v = lookupValue(rec, key);
    if (v === undefined) return false;
    const n = read(v);
    return !Number.isNaN(n) && compare(n, bound);
  };
}

const COMPARE = {
  "<": (a: number, b: number) => a < b,
  "<=": (a: number, b: number) => a <= b,
  ">": (a: number, b: number) => a > b,
  ">=": (a: number, b: number) => a >= b,
};
