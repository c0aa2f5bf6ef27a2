/**
 * Dynamo's rules, in one place: turns one JSON line into a `LogRecord`.
 * - `log.target`/`log.file`/`log.line` of bridged Python records become target, file and line;
 * - `SPAN_CREATED` (older Dynamo) and `SPAN_FIRST_ENTRY` (newer) open a span, `SPAN_CLOSED`
 *   closes it and carries `time.busy_us`, `time.idle_us`, `time.duration_us`;
 * - ids (`trace_id`, `span_id`, `parent_id`, `span_name`) are lifted out of the fields;
 * - every other key stays a field, its value token kept exactly as written.
 *
 * Receives: the line text (after any launcher prefix) and where the JSON starts.
 * Emits: a record, or null when the text is not a JSON object that looks like a log record.
 */
import { INFO, type Level, parseRecordLevel } from "../model/level.js";
import type { Field, LogRecord, Source, SpanMarker, ValueKind } from "../model/record.js";
import { decodeString, ObjectScan, scanObject } from "./json-scan.js";
import { parseTimeUs } from "./time.js";

const scan = new ObjectScan();

/** Keys the JSON layer of Dynamo writes itself; they never appear among a record's fields. */
const ID_KEYS = new Set(["span_name", "span_id", "trace_id", "parent_id"]);

function markerOf(message: string): SpanMarker | null {
  if (message.length < 11 || message.charCodeAt(0) !== 83 /* S */) return null;
  if (message === "SPAN_CLOSED") return "closed";
  if (message === "SPAN_CREATED") return "created";
  if (message === "SPAN_FIRST_ENTRY") return "first_entry";
  return null;
}

/** Non-negative integer microseconds from a number token; NaN for anything else. */
function microsOf(field: Field): number {
  if (field.kind !== "number") return Number.NaN;
  const v = Number(field.raw);
  return Number.isSafeInteger(v) && v >= 0 ? v : Number.NaN;
}

function textOfValue(s: string, start: number, end: number, kind: ValueKind, esc: boolean): string {
  return kind === "string" ? decodeString(s, start, end, esc) : s.slice(start, end);
}

/** A fresh record with every property present, so all records share one hidden class. */
export function emptyRecord(source: Source, lineNo: number, raw: string | Buffer): LogRecord {
  return {
    kind: "unparsed",
    source,
    label: source.label,
    lineNo,
    lineCount: 1,
    raw,
    eol: "\n",
    prefix: "",
    time: "",
    timeUs: Number.NaN,
    orderUs: Number.NEGATIVE_INFINITY,
    levelText: "",
    level: INFO,
    target: "",
    hasMessage: false,
    message: "",
    file: "",
    line: "",
    spanName: "",
    spanId: "",
    traceId: "",
    parentId: "",
    requestId: "",
    marker: null,
    busyUs: Number.NaN,
    idleUs: Number.NaN,
    durationUs: Number.NaN,
    fields: [],
    logFields: [],
  };
}

/**
 * Fills `rec` from the JSON object in `text` starting at `from`. Returns false (leaving `rec` an
 * unparsed record) when the text is not a JSON object with a `level` or a `message`.
 */
export function normalizeJson(rec: LogRecord, text: string, from: number): boolean {
  if (!scanObject(text, from, scan)) return false;
  let target = "";
  let logTarget: string | null = null;
  let file = "";
  let line = "";
  let logFile = "";
  let logLine = "";
  let sawLevel = false;
  const fields: Field[] = [];
  const logFields: Field[] = [];
  for (let k = 0; k < scan.count; k++) {
    const ks = scan.keyStart[k] as number;
    const ke = scan.keyEnd[k] as number;
    const key = decodeString(text, ks, ke, scan.keyEscaped[k] === 1);
    const vs = scan.valueStart[k] as number;
    const ve = scan.valueEnd[k] as number;
    const kind = scan.valueKind[k] as ValueKind;
    const value = textOfValue(text, vs, ve, kind, scan.valueEscaped[k] === 1);
    switch (key) {
      case "time":
        rec.time = value;
        continue;
      case "level":
        rec.levelText = value;
        sawLevel = true;
        continue;
      case "target":
        target = value;
        continue;
      case "message":
        rec.message = value;
        rec.hasMessage = true;
        continue;
      case "file":
        file = value;
        continue;
      case "line":
        line = value;
        continue;
    }
    const field: Field = { key, kind, raw: text.slice(vs, ve), text: value };
    if (ID_KEYS.has(key)) {
      assignId(rec, key, value);
    } else if (key.startsWith("log.")) {
      if (key === "log.target") logTarget = value;
      else if (key === "log.file") logFile = value;
      else if (key === "log.line") logLine = value;
      putField(logFields, field);
    } else {
      putField(fields, field);
    }
  }
  if (!sawLevel && !rec.hasMessage) return false;
  const python = logTarget !== null && (target === "log" || target === "");
  rec.kind = "json";
  rec.target = python ? (logTarget as string) : target;
  rec.file = python ? logFile : file;
  rec.line = python ? logLine : line;
  rec.level = (parseRecordLevel(rec.levelText) || INFO) as Level;
  rec.timeUs = parseTimeUs(rec.time);
  if (!Number.isNaN(rec.timeUs)) rec.orderUs = rec.timeUs;
  rec.fields = fields;
  rec.logFields = logFields;
  rec.marker = markerOf(rec.message);
  liftSpecialFields(rec, fields);
  return true;
}

function assignId(rec: LogRecord, key: string, value: string): void {
  if (key === "span_name") rec.spanName = value;
  else if (key === "span_id") rec.spanId = value;
  else if (key === "trace_id") rec.traceId = value;
  else rec.parentId = value;
}

/** Appends a field; a repeated key replaces the earlier value in place (as JSON.parse would). */
function putField(fields: Field[], field: Field): void {
  for (let i = 0; i < fields.length; i++) {
    if ((fields[i] as Field).key === field.key) {
      fields[i] = field;
      return;
    }
  }
  fields.push(field);
}

/** Request ids and span timings stay fields (the readable form prints them) but are also lifted. */
function liftSpecialFields(rec: LogRecord, fields: Field[]): void {
  let xRequest = "";
  let xDynamo = "";
  let plain = "";
  for (const f of fields) {
    const key = f.key;
    if (key.charCodeAt(0) === 116 /* t */ && key.startsWith("time.")) {
      if (key === "time.busy_us") rec.busyUs = microsOf(f);
      else if (key === "time.idle_us") rec.idleUs = microsOf(f);
      else if (key === "time.duration_us") rec.durationUs = microsOf(f);
    } else if (key === "x_request_id") xRequest = f.text;
    else if (key === "x_dynamo_request_id") xDynamo = f.text;
    else if (key === "request_id") plain = f.text;
  }
  rec.requestId = xRequest || xDynamo || plain;
}

/** Looks a key up the way `--where` names it: core keys first, then fields, then `log.*`. */
export function lookupValue(rec: LogRecord, key: string): string | undefined {
  switch (key) {
    case "time":
      return rec.time;
    case "level":
      return rec.levelText;
    case "target":
      return rec.target;
    case "message":
      return rec.message;
    case "file":
      return rec.file;
    case "line":
      return rec.line;
    case "span_name":
      return rec.spanName;
    case "span_id":
      return rec.spanId;
    case "trace_id":
      return rec.traceId;
    case "parent_id":
      return rec.parentId;
    case "source":
      return rec.label;
  }
  for (const f of rec.fields) if (f.key === key) return f.text;
  for (const f of rec.logFields) if (f.key === key) return f.text;
  return undefined;
}
