/**
 * Dynamo's rules, in one place: turns one JSON line into a `LogRecord`.
 * - `log.target`/`log.file`/`log.line` of bridged Python records become target, file and line;
 * - `SPAN_CREATED` (older Dynamo) and `SPAN_FIRST_ENTRY` (newer) open a span, `SPAN_CLOSED`
 *   closes it and carries `time.busy_us`, `time.idle_us`, `time.duration_us`;
 * - ids (`trace_id`, `span_id`, `parent_id`, `span_name`) are lifted out of the fields;
 * - request ids and span timings are lifted too, but stay fields (the readable form prints them);
 * - `@prefix`/`@source`, which `convert --to jsonl` adds to a record that had a launcher prefix
 *   (parse/raw-line.ts), give it back its prefix and source name;
 * - every other key stays a field, its value token kept exactly as written.
 * Keys are recognised on the raw text, so the common keys cost no string allocation.
 *
 * Receives: the line text (after any launcher prefix) and where the JSON starts.
 * Emits: a filled record, or false when the text is not a JSON object with a level or message.
 */
import { INFO, type Level, parseRecordLevel } from "../model/level.js";
import {
  KEY_ESCAPED,
  LOG_MEMBER,
  LogRecord,
  type Source,
  type SpanMarker,
  VALUE_ESCAPED,
  type ValueKind,
} from "../model/record.js";
import { decodeString, KeyTable, keyBit, ObjectScan, sameAt, scanObject } from "./json-scan.js";
import { parseTimeUs } from "./time.js";

const scan = new ObjectScan();

const KIND_CODES: Record<ValueKind, number> = {
  string: 0,
  number: 1,
  bool: 2,
  null: 3,
  object: 4,
  array: 5,
};

/** What a key means to dynlog. */
enum Key {
  Other,
  Time,
  Level,
  Target,
  Message,
  File,
  Line,
  SpanName,
  SpanId,
  TraceId,
  ParentId,
  /** dynlog's own keys on a record that had a launcher prefix (not fields). */
  AtPrefix,
  AtSource,
  LogTarget,
  LogFile,
  LogLine,
  LogOther,
  BusyUs,
  IdleUs,
  DurationUs,
  XRequestId,
  XDynamoRequestId,
  RequestId,
}

const NAMED_KEYS: readonly [string, Key][] = [
  ["time", Key.Time],
  ["level", Key.Level],
  ["target", Key.Target],
  ["message", Key.Message],
  ["file", Key.File],
  ["line", Key.Line],
  ["span_name", Key.SpanName],
  ["span_id", Key.SpanId],
  ["trace_id", Key.TraceId],
  ["parent_id", Key.ParentId],
  ["log.target", Key.LogTarget],
  ["log.file", Key.LogFile],
  ["log.line", Key.LogLine],
  ["time.busy_us", Key.BusyUs],
  ["time.idle_us", Key.IdleUs],
  ["time.duration_us", Key.DurationUs],
  ["x_request_id", Key.XRequestId],
  ["x_dynamo_request_id", Key.XDynamoRequestId],
  ["request_id", Key.RequestId],
  ["@prefix", Key.AtPrefix],
  ["@source", Key.AtSource],
];

/** The named keys, recognised on the raw text. */
const NAMED = new KeyTable(NAMED_KEYS.map(([name]) => name));

/** What member `k` of the scanned object in `text` means. */
function classify(text: string, k: number): Key {
  const named = NAMED.member(text, scan, k);
  if (named >= 0) return (NAMED_KEYS[named] as [string, Key])[1];
  const start = (scan.keyStart[k] as number) + 1;
  const length = (scan.keyEnd[k] as number) - start - 1;
  if (scan.keyEscaped[k] === 1) {
    const name = decodeString(text, start - 1, start + length + 1, true);
    return name.startsWith("log.") ? Key.LogOther : Key.Other;
  }
  return length >= 4 && sameAt(text, start, "log.") ? Key.LogOther : Key.Other;
}

function markerOf(message: string): SpanMarker | null {
  if (message.length < 11 || message.charCodeAt(0) !== 83 /* S */) return null;
  if (message === "SPAN_CLOSED") return "closed";
  if (message === "SPAN_CREATED") return "created";
  if (message === "SPAN_FIRST_ENTRY") return "first_entry";
  return null;
}

/** Non-negative integer microseconds from a number token; NaN for anything else. */
function microsOf(kind: ValueKind, raw: string): number {
  if (kind !== "number") return Number.NaN;
  const v = Number(raw);
  return Number.isSafeInteger(v) && v >= 0 ? v : Number.NaN;
}

/** A fresh unparsed record. */
export function emptyRecord(source: Source, lineNo: number, raw: string | Buffer): LogRecord {
  return new LogRecord(source, lineNo, raw);
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
  let xRequest = "";
  let xDynamo = "";
  let plainRequest = "";
  const members: number[] = [];
  // A bit per field key (`keyBit`): a repeated bit means a key may be repeated, and readers then
  // go through the deduplicating `fields`.
  let seen = 0;
  let unique = true;
  for (let k = 0; k < scan.count; k++) {
    const ks = scan.keyStart[k] as number;
    const ke = scan.keyEnd[k] as number;
    const keyEscaped = scan.keyEscaped[k] === 1;
    const key = classify(text, k);
    const vs = scan.valueStart[k] as number;
    const ve = scan.valueEnd[k] as number;
    const kind = scan.valueKind[k] as ValueKind;
    const valueEscaped = scan.valueEscaped[k] === 1;
    if (key === Key.Other || key >= Key.LogOther) {
      const bit = keyBit(text, scan, k);
      if ((seen & bit) !== 0) unique = false;
      seen |= bit;
      let flags = KIND_CODES[kind];
      if (keyEscaped) flags |= KEY_ESCAPED;
      if (valueEscaped) flags |= VALUE_ESCAPED;
      if (key === Key.LogOther) flags |= LOG_MEMBER;
      members.push(ks, ke, vs, ve, flags);
      if (key === Key.Other || key === Key.LogOther) continue;
    }
    const value = kind === "string" ? decodeString(text, vs, ve, valueEscaped) : text.slice(vs, ve);
    switch (key) {
      case Key.Time:
        rec.time = value;
        break;
      case Key.Level:
        rec.levelText = value;
        sawLevel = true;
        break;
      case Key.Target:
        target = value;
        break;
      case Key.Message:
        rec.message = value;
        rec.hasMessage = true;
        break;
      case Key.File:
        file = value;
        break;
      case Key.Line:
        line = value;
        break;
      case Key.SpanName:
        rec.spanName = value;
        break;
      case Key.SpanId:
        rec.spanId = value;
        break;
      case Key.TraceId:
        rec.traceId = value;
        break;
      case Key.ParentId:
        rec.parentId = value;
        break;
      case Key.BusyUs:
        rec.busyUs = microsOf(kind, value);
        break;
      case Key.IdleUs:
        rec.idleUs = microsOf(kind, value);
        break;
      case Key.DurationUs:
        rec.durationUs = microsOf(kind, value);
        break;
      case Key.XRequestId:
        xRequest = value;
        break;
      case Key.XDynamoRequestId:
        xDynamo = value;
        break;
      case Key.RequestId:
        plainRequest = value;
        break;
      case Key.AtPrefix:
        rec.prefix = value;
        break;
      case Key.AtSource:
        if (!rec.source.labelled && value !== "") rec.label = value;
        break;
      default:
        break;
    }
    if (key === Key.LogTarget || key === Key.LogFile || key === Key.LogLine) {
      members.push(
        ks,
        ke,
        vs,
        ve,
        KIND_CODES[kind] | LOG_MEMBER | (valueEscaped ? VALUE_ESCAPED : 0),
      );
      if (key === Key.LogTarget) logTarget = value;
      else if (key === Key.LogFile) logFile = value;
      else logLine = value;
    }
  }
  if (!sawLevel && !rec.hasMessage) return false;
  const python = logTarget !== null && (target === "log" || target === "");
  rec.kind = "json";
  rec.body = text;
  rec.members = members;
  rec.membersUnique = unique;
  rec.target = python ? (logTarget as string) : target;
  rec.file = python ? logFile : file;
  rec.line = python ? logLine : line;
  rec.level = (parseRecordLevel(rec.levelText) || INFO) as Level;
  rec.timeUs = parseTimeUs(rec.time);
  if (!Number.isNaN(rec.timeUs)) rec.orderUs = rec.timeUs;
  rec.marker = markerOf(rec.message);
  rec.requestId = xRequest || xDynamo || plainRequest;
  return true;
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
