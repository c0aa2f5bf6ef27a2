/**
 * `trace --logs`: the records that happened inside a span, one line each under its row: offset
 * from the trace start, level, target, message and the fields the span does not already show.
 * Bounded, so a span with a million records or a record with a 16 MiB message stays readable:
 * at most LOGS_PER_SPAN_MAX records per span, LOG_FIELDS_MAX fields per record, LOG_TEXT_MAX
 * characters per message or value, each cut with a visible ellipsis. Everything from the data is
 * made terminal-safe.
 *
 * Receives: a span of an assembled trace, a theme. Emits: lines of text.
 */
import { LEVEL_NAMES } from "../model/level.js";
import type { LogRecord } from "../model/record.js";
import type { Span, Trace } from "../trace/span.js";
import { formatOffset } from "./durations.js";
import { formatFieldValue } from "./dynamo-layout.js";
import { clip } from "./terminal-safe.js";
import type { Theme } from "./theme.js";

export const LOGS_PER_SPAN_MAX = 1000;
export const LOG_FIELDS_MAX = 100;
export const LOG_TEXT_MAX = 4096;
const KEY_MAX = 48;
const TARGET_MAX = 120;

/** A line that is not a record (a traceback's body), under the record it follows. */
function rawLine(rec: LogRecord, theme: Theme, indent: string): string {
  const text = typeof rec.raw === "string" ? rec.raw : rec.raw.toString("utf8");
  return `${indent}${" ".repeat(17)}${theme.dim(clip(text, LOG_TEXT_MAX))}`;
}

function logLine(rec: LogRecord, span: Span, trace: Trace, theme: Theme, indent: string): string {
  if (rec.kind === "unparsed") return rawLine(rec, theme, indent);
  const level = LEVEL_NAMES[rec.level].padStart(5);
  const styled =
    rec.level <= 1 ? theme.error(level) : rec.level === 2 ? theme.warn(level) : theme.dim(level);
  const own = rec.fields.filter((f) => !span.attributes.has(f.key));
  let fields = own
    .slice(0, LOG_FIELDS_MAX)
    .map((f) => ` ${clip(f.key, KEY_MAX)}=${clip(formatFieldValue(f), LOG_TEXT_MAX)}`)
    .join("");
  if (own.length > LOG_FIELDS_MAX) fields += ` … ${own.length - LOG_FIELDS_MAX} more fields`;
  const offset = formatOffset(
    (Number.isNaN(rec.timeUs) ? span.startUs : rec.timeUs) - trace.startUs,
  );
  const target = theme.dim(`${clip(rec.target, TARGET_MAX)}:`);
  return `${indent}${theme.dim(offset.padStart(10))} ${styled} ${target} ${clip(rec.message, LOG_TEXT_MAX)}${fields}`;
}

/** The records of a span, at most LOGS_PER_SPAN_MAX of them, then how many were left out. */
export function renderSpanLogs(span: Span, trace: Trace, theme: Theme, indent: string): string[] {
  const shown = span.records.slice(0, LOGS_PER_SPAN_MAX);
  const lines = shown.map((rec) => logLine(rec, span, trace, theme, indent));
  const more = span.records.length + span.droppedRecords - shown.length;
  if (more > 0) lines.push(`${indent}${theme.dim(`… ${more} more records in this span`)}`);
  return lines;
}
