/**
 * Reads a line of Dynamo's readable layout (tracing-subscriber's compact format) back into a
 * record: the reverse of `dynlog convert`.
 *
 *     <time> <level right-aligned to 5> [<span>:<span>: ]<target>: <message>[ <key>=<value>]...
 *
 * ANSI sequences are stripped first (parse/ansi.ts). The layout is ambiguous in three places;
 * the rules below reproduce every real example of the shared conformance cases:
 *
 * 1. Head. An RFC 3339 time without spaces (`Z` or `±HH:MM`), one space, the level as tracing
 *    pads it (`TRACE` `DEBUG` ` INFO` ` WARN` `ERROR`), one space. Anything else is not a record.
 *
 * 2. Span chain and target. The rest is cut at `: `. With a single `: `, what precedes it is the
 *    target (Python loggers may hold spaces: `my logger`); with none, the line has no target
 *    (target display off) and all of it is message. With two or more, the first piece (A) may be
 *    a span chain and the second (B) the target, or A the target and B part of the message
 *    (`dynamo_runtime: Error: refused`). Each piece is ranked: 2 for a qualified name
 *    (`a::b`, `a.b`), 1 for one identifier (`dynamo_runtime`), 0 for anything else (spaces,
 *    hyphens: `http-request`, `my span::x`), -1 for several spans (`outer:inner`, a lone `:`).
 *    B is the target only when it ranks higher than A; then A is the chain, cut at lone `:`
 *    (`::` stays inside a name). A chain with no better-ranked B means a target-less line with
 *    spans. A line ending in `a::b:` (trailing space trimmed) is a target with nothing after it. Known misreadings: `handle_payload: dynamo_runtime: m` (a tie: the span is taken for
 *    the target); `outer: Connection failed: x` when the target display is off.
 *
 * 3. Message and fields. Fields are the maximal suffix of ` key=value` tokens (grammar in
 *    readable-fields.ts), so `k=v` text at the end of a message reads as fields (`Setting
 *    level=debug` → message `Setting`, field level). A bare value never ends in `,` or `;`,
 *    and fields never follow a word that does: `received: a=1, b=2` is all message. Two
 *    exceptions:
 *    a. a line with no span whose target is not a Rust path (`main.init`, `my logger`) is a
 *       Python record bridged through the `log` crate, and those carry no fields: all of it is
 *       message (conformance t097: `enabled by main.init=debug`);
 *    b. when the fields would take all the text after `target: ` (one space: there was no
 *       message at all), they are fields only if one value is quoted (t040 `a=1 b="two"`);
 *       otherwise it is a message that looks like fields (t055 `a=1 b=2`).
 *    Two spaces after `target:` mean an empty message before the fields (`target:  a=1`).
 *
 * Values: quoted → string (Rust escapes undone); bare `true`/`false` → bool; bare JSON number →
 * number, raw kept as written; other bare → string. A Display value printed bare cannot be told
 * from a number or bool (`tree_size=1024` may have been the string "1024"). The message gets
 * tracing's escapes (`\x1b`, `\u{85}`) undone; the same text written literally reads the same.
 * Lifted as `normalizeJson` lifts them: `span_id`/`trace_id`/`parent_id`/`span_name` fields leave
 * the fields; the request id and `time.*_us` span timings are copied out and stay fields; the
 * span marker comes from the message.
 *
 * Receives: a record, the line and where the layout starts. Emits: the filled record (kind
 * "text") and true, or false with the record untouched.
 */
import { INFO, type Level, parseRecordLevel } from "../model/level.js";
import type { Field, LogRecord, SpanMarker } from "../model/record.js";
import { stripAnsi } from "./ansi.js";
import { fieldOf, findFields, unescapeMessage } from "./readable-fields.js";
import { parseTimeUs } from "./time.js";

const LEVELS = new Set(["TRACE", "DEBUG", " INFO", " WARN", "ERROR"]);
const QUALIFIED = /^[A-Za-z_][A-Za-z0-9_]*(?:(?:::|\.)[A-Za-z_][A-Za-z0-9_]*)+$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RUST_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*$/;
/** A colon that is not half of `::`. */
const LONE_COLON = /(?<!:):(?!:)/;
const CONTROL = /[\0-\x1f\x7f]/;

interface Head {
  time: string;
  timeUs: number;
  levelText: string;
  /** Offset of what follows the level and its space. */
  rest: number;
}

interface Prefix {
  chain: string[];
  target: string;
  /** Offset of the message. */
  body: number;
}

interface Body {
  hasMessage: boolean;
  message: string;
  fields: Field[];
}

/** The spans a record is in, outermost first: the whole chain of a readable line, else its span. */
export function spanChain(rec: LogRecord): readonly string[] {
  return rec.spanName === "" ? rec.outerSpans : [...rec.outerSpans, rec.spanName];
}

function readHead(line: string): Head | null {
  const c = line.charCodeAt(0);
  if (c < 48 || c > 57 || line.charCodeAt(4) !== 45) return null;
  const space = line.indexOf(" ");
  if (space < 0) return null;
  const time = line.slice(0, space);
  const timeUs = parseTimeUs(time);
  if (Number.isNaN(timeUs)) return null;
  const padded = line.slice(space + 1, space + 6);
  if (!LEVELS.has(padded)) return null;
  const after = space + 6;
  if (after < line.length && line.charCodeAt(after) !== 32) return null;
  return { time, timeUs, levelText: padded.trimStart(), rest: Math.min(after + 1, line.length) };
}

function rank(piece: string): number {
  if (QUALIFIED.test(piece)) return 2;
  if (IDENTIFIER.test(piece)) return 1;
  return LONE_COLON.test(piece) ? -1 : 0;
}

/** Span names of a chain: cut at lone colons, `::` stays inside a name. */
function splitChain(chain: string): string[] {
  return chain.split(LONE_COLON);
}

function readPrefix(line: string, rest: number): Prefix {
  const first = line.indexOf(": ", rest);
  const a = first < 0 ? "" : line.slice(rest, first);
  if (first < 0 || CONTROL.test(a)) {
    // No target: a whole line of message; or a qualified target whose trailing space (empty
    // message, no fields) was trimmed by a collector: `dynamo_runtime::x:`.
    const whole = line.slice(rest);
    if (whole.endsWith(":") && rank(whole.slice(0, -1)) === 2) {
      return { chain: [], target: whole.slice(0, -1), body: line.length };
    }
    return { chain: [], target: "", body: rest };
  }
  const second = line.indexOf(": ", first + 2);
  const b = second < 0 ? "" : line.slice(first + 2, second);
  if (second >= 0 && a !== "" && !CONTROL.test(b) && rank(b) > rank(a)) {
    return { chain: splitChain(a), target: b, body: second + 2 };
  }
  if (rank(a) < 0) return { chain: splitChain(a), target: "", body: first + 2 };
  return { chain: [], target: a, body: first + 2 };
}

function anyQuoted(tokens: readonly { quoted: boolean }[]): boolean {
  return tokens.some((t) => t.quoted);
}

function readBody(text: string, fieldsAllowed: boolean): Body {
  const tokens = fieldsAllowed ? findFields(text) : null;
  const start = tokens?.[0]?.keyStart ?? -1;
  if (tokens === null || (start === 0 && !anyQuoted(tokens))) {
    return { hasMessage: true, message: unescapeMessage(text), fields: [] };
  }
  return {
    hasMessage: start > 0,
    message: start > 0 ? unescapeMessage(text.slice(0, start - 1)) : "",
    fields: dedupe(tokens.map((t) => fieldOf(text, t))),
  };
}

/** A key printed twice (event and span both have it) keeps its last value in its first place,
 *  as `LogRecord.fields` promises and as Dynamo's JSONL keeps it. */
function dedupe(fields: Field[]): Field[] {
  const out: Field[] = [];
  const at = new Map<string, number>();
  for (const f of fields) {
    const same = at.get(f.key);
    if (same !== undefined) out[same] = f;
    else at.set(f.key, out.push(f) - 1);
  }
  return out;
}

function markerOf(message: string): SpanMarker | null {
  if (message === "SPAN_CLOSED") return "closed";
  if (message === "SPAN_CREATED") return "created";
  if (message === "SPAN_FIRST_ENTRY") return "first_entry";
  return null;
}

/** Non-negative integer microseconds from a number field; NaN for anything else. */
function microsOf(field: Field): number {
  if (field.kind !== "number") return Number.NaN;
  const v = Number(field.raw);
  return Number.isSafeInteger(v) && v >= 0 ? v : Number.NaN;
}

/** Copies ids, request ids and span timings out of the fields; returns the fields left. */
function liftFields(rec: LogRecord, fields: Field[]): Field[] {
  const kept: Field[] = [];
  const requestIds = ["", "", ""];
  let spanName = "";
  for (const f of fields) {
    switch (f.key) {
      case "span_id":
        rec.spanId = f.text;
        continue;
      case "trace_id":
        rec.traceId = f.text;
        continue;
      case "parent_id":
        rec.parentId = f.text;
        continue;
      case "span_name":
        spanName = f.text;
        continue;
      case "x_request_id":
        requestIds[0] = f.text;
        break;
      case "x_dynamo_request_id":
        requestIds[1] = f.text;
        break;
      case "request_id":
        requestIds[2] = f.text;
        break;
      case "time.busy_us":
        rec.busyUs = microsOf(f);
        break;
      case "time.idle_us":
        rec.idleUs = microsOf(f);
        break;
      case "time.duration_us":
        rec.durationUs = microsOf(f);
        break;
    }
    kept.push(f);
  }
  rec.requestId = requestIds.find((id) => id !== "") ?? "";
  if (rec.spanName === "") rec.spanName = spanName;
  return kept;
}

/** Fills `rec` from a readable-layout line at `text[from]`; false (rec untouched) if it is not one. */
export function parseReadable(rec: LogRecord, text: string, from: number): boolean {
  const line = stripAnsi(from === 0 ? text : text.slice(from));
  const head = readHead(line);
  if (head === null) return false;
  const prefix = readPrefix(line, head.rest);
  // Rule 3a: a bridged Python record (no span, not a Rust path) has no fields to print.
  const fieldsAllowed =
    prefix.chain.length > 0 || prefix.target === "" || RUST_PATH.test(prefix.target);
  const body = readBody(line.slice(prefix.body), fieldsAllowed);
  rec.kind = "text";
  rec.time = head.time;
  rec.timeUs = head.timeUs;
  rec.orderUs = head.timeUs;
  rec.levelText = head.levelText;
  rec.level = (parseRecordLevel(head.levelText) || INFO) as Level;
  rec.target = prefix.target;
  rec.spanName = prefix.chain[prefix.chain.length - 1] ?? "";
  rec.hasMessage = body.hasMessage;
  rec.message = body.message;
  rec.marker = markerOf(body.message);
  rec.fields = liftFields(rec, body.fields);
  if (prefix.chain.length > 1) rec.outerSpans = prefix.chain.slice(0, -1);
  return true;
}
