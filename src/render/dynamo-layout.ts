/**
 * Dynamo's readable layout (tracing-subscriber's compact format, as Dynamo configures it):
 *
 *     <time> <level right-aligned to 5> [<span>: ]<target>: <message>[ <key>=<value>]...
 *
 * JSONL keeps less than the readable form knew, so three rules fill the gap:
 * - fields are printed in the order the JSONL line has them (Dynamo writes them sorted);
 * - integers and booleans print exactly as written; floats as Rust's `{:?}` prints an f64
 *   (`1e20`, `1.5e-7`, `100.0`: render/rust-float.ts);
 * - a string that reads as a number or a boolean prints bare: Dynamo's JSONL writes span fields
 *   as strings with their quotes trimmed, so `"k":"1"` was the number 1 in the span;
 * - so do the values of the fields Dynamo's `http-request` span records with `%`/`?` (`method`,
 *   `uri`, `version`), and strings a readable line printed bare, when nothing in them would need
 *   quoting;
 * - a string that is itself a `{:?}` string literal (a field recorded with `?` of a string:
 *   `"\"http://tempo:4317\""`) prints as that literal, as tracing printed it;
 * - every other string prints as Rust prints a `&str` (quoted, escaped); objects, arrays and null
 *   print as the quoted JSON text they came from;
 * - only the innermost span is known, so at most one span name precedes the target.
 * `log.*` fields of bridged Python records and the ids the JSONL layer adds (`span_id`,
 * `trace_id`, `parent_id`, `span_name`) are not fields of the readable form.
 *
 * `--hide` leaves out the fields whose keys it matches (only what is displayed: never JSONL).
 *
 * Receives: a JSON record, a style, a time renderer, the hidden keys. Emits: the line, without
 * newline.
 */
import { LEVEL_NAMES } from "../model/level.js";
import { type Field, LOG_MEMBER, type LogRecord, MEMBER_SIZE } from "../model/record.js";
import type { KeyMatcher } from "./key-glob.js";
import type { LayoutStyle } from "./layout-style.js";
import { debugQuote, escapeMessage, isDebugLiteral } from "./rust-escape.js";
import { formatNumberToken } from "./rust-float.js";
import { terminalSafe } from "./terminal-safe.js";

/** Fields that Dynamo's http-request span records with Display or Debug rather than as `&str`. */
const BARE_FIELDS = new Set(["method", "uri", "version"]);
/** A value safe to print bare: nothing that would read as a separator or need escaping. */
const BARE_SAFE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
/** How Rust displays a number or a bool: JSON number syntax, NaN, inf, true, false. */
const NUMBER_OR_BOOL =
  /^(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|-?inf|NaN|true|false)$/;

export function padLevel(rec: LogRecord): string {
  const text = rec.levelText.length > 0 ? rec.levelText.toUpperCase() : LEVEL_NAMES[rec.level];
  return text.length >= 5 ? text : " ".repeat(5 - text.length) + text;
}

export function formatFieldValue(field: Field): string {
  switch (field.kind) {
    case "number":
      return formatNumberToken(field.raw);
    case "bool":
      return field.raw;
    case "string":
      if (NUMBER_OR_BOOL.test(field.text)) return field.text;
      if (isDebugLiteral(field.text)) return field.text;
      if ((field.display || BARE_FIELDS.has(field.key)) && BARE_SAFE.test(field.text)) {
        return field.text;
      }
      return debugQuote(field.text);
    default:
      return debugQuote(field.raw);
  }
}

export type TimeRenderer = (rec: LogRecord) => string;

export const timeAsWritten: TimeRenderer = (rec) => rec.time;

export const asIs = (s: string): string => s;
const safeWord = (s: string): string => terminalSafe(s);

/**
 * One record in the readable layout. With `safe` (output may reach a terminal), the pieces the
 * data controls (time, level, span names, target, message, field names) have their control
 * characters escaped; field values are escaped by the layout itself.
 */
export function renderDynamoLine(
  rec: LogRecord,
  style: LayoutStyle,
  time: TimeRenderer,
  safe = false,
  hidden: KeyMatcher | null = null,
): string {
  const word = safe ? safeWord : asIs;
  let out = style.time(word(time(rec))) + " " + style.level(word(padLevel(rec)), rec.level) + " ";
  if (rec.spanName !== "") {
    for (const outer of rec.outerSpans) out += style.span(word(outer)) + ":";
    out += style.span(word(rec.spanName)) + ": ";
  }
  out += style.target(word(rec.target)) + style.colon() + " ";
  let first = true;
  if (rec.hasMessage) {
    out += safe ? terminalSafe(escapeMessage(rec.message), true) : escapeMessage(rec.message);
    first = false;
  }
  return out + renderFields(rec, style, word, asIs, hidden, first);
}

/**
 * A record's fields as the readable layout prints them: ` key=value` each, without the first
 * space when `first`. `word` is applied to keys, `value` to the printed values.
 */
export function renderFields(
  rec: LogRecord,
  style: LayoutStyle,
  word: (s: string) => string,
  value: (s: string) => string,
  hidden: KeyMatcher | null,
  first: boolean,
): string {
  let out = "";
  if (!rec.membersUnique) {
    for (const f of rec.fields) {
      if (hidden?.(f.key)) continue;
      out +=
        (first ? "" : " ") + style.key(word(f.key)) + style.equals() + value(formatFieldValue(f));
      first = false;
    }
    return out;
  }
  // Fast path: walk the raw members; a Field object is built only for string values.
  const m = rec.members;
  const body = rec.body;
  for (let at = 0; at < m.length; at += MEMBER_SIZE) {
    const flags = m[at + 4] as number;
    if ((flags & LOG_MEMBER) !== 0) continue;
    const i = at / MEMBER_SIZE;
    if (hidden?.(rec.memberKey(i))) continue;
    const kind = flags & 7;
    const text =
      kind === 2
        ? body.slice(m[at + 2] as number, m[at + 3] as number)
        : kind === 1
          ? formatNumberToken(body.slice(m[at + 2] as number, m[at + 3] as number))
          : formatFieldValue(rec.memberField(i));
    out += (first ? "" : " ") + style.key(word(rec.memberKey(i))) + style.equals() + value(text);
    first = false;
  }
  return out;
}
