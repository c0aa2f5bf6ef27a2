/**
 * Traces that were exported, read back as Dynamo log lines: OTLP/JSON (`TracesData` lines or one
 * `ExportTraceServiceRequest`), Tempo's API answers (v1 `batches`, v2 `trace.resourceSpans`, ids
 * in base64, enums by name) and Jaeger's JSON (`data`), recognised by their first key. Each span
 * becomes the JSONL records Dynamo would have written: an opening marker, the events logged in it,
 * `SPAN_CLOSED` with busy/idle, so every command reads them through the one record model and a
 * trace half in logs, half in a download joins by trace id. What dynlog's own export marked
 * (`dynlog.open`, `dynlog.inferred`, `dynlog.start_estimated`) gives back the markers the logs
 * lacked. Both generations of tracing-opentelemetry's names are read: code location as
 * `code.file.path`, `code.line.number`, `code.module.name` (0.32 on) or `code.filepath`,
 * `code.lineno`, `code.namespace` (before); `busy_ns`/`idle_ns` kept their names, integers from
 * 0.12, strings before. Documents are parsed with stream-json, element by element, so memory
 * stays bounded by one resource's spans however large the file.
 *
 * Receives: the first bytes of an input (to recognise it), then its text. Emits: per service,
 * JSON lines.
 */
import { createRequire } from "node:module";
import type { Duplex } from "node:stream";

const require = createRequire(import.meta.url);

/** The first key of the first JSON object in `head` (whitespace and a BOM skipped), or null. */
function firstKey(head: string): string | null {
  const m = /^\uFEFF?\s*\{\s*"([A-Za-z]+)"\s*:/.exec(head);
  return m === null ? null : (m[1] as string);
}

/** Whether an input starting with `head` is an exported trace document rather than a log. */
export function isExportedTraces(head: string): boolean {
  const key = firstKey(head);
  if (key === "resourceSpans" || key === "batches") return true;
  if (key === "trace") return /^\uFEFF?\s*\{\s*"trace"\s*:\s*\{\s*"resourceSpans"/.test(head);
  if (key === "data") return /^\uFEFF?\s*\{\s*"data"\s*:\s*\[\s*(\]|\{\s*"traceID")/.test(head);
  return false;
}

/** The elements streamed out of a document: resource spans (OTLP, Tempo) or Jaeger traces. */
const ELEMENTS = /^(resourceSpans|batches|trace\.resourceSpans|data)\.\d+$/;

/** A stream-json pipeline: text in, `{ value }` per element out (JSON streaming: lines too). */
export function elementStream(): Duplex {
  const { chain } = require("stream-chain") as { chain: (fns: unknown[]) => Duplex };
  const { parser } = require("stream-json/parser.js") as { parser: (o: object) => unknown };
  const { pick } = require("stream-json/filters/pick.js") as { pick: (o: object) => unknown };
  const { streamValues } = require("stream-json/streamers/stream-values.js") as {
    streamValues: () => unknown;
  };
  return chain([
    parser({ jsonStreaming: true, streamValues: false }),
    pick({ filter: ELEMENTS }),
    streamValues(),
  ]);
}

// biome-ignore lint/suspicious/noExplicitAny: JSON from another program, checked field by field
type Json = any;

interface ImportedEvent {
  timeUs: number;
  name: string;
  attributes: Record<string, unknown>;
}

interface ImportedSpan {
  traceId: string;
  spanId: string;
  parentId: string;
  name: string;
  startUs: number;
  endUs: number;
  attributes: Record<string, unknown>;
  events: ImportedEvent[];
}

/** A hex id as written, or base64 (Tempo) turned to hex; "" when neither. */
function hexId(value: unknown, bytes: number): string {
  if (typeof value !== "string" || value === "") return "";
  if (value.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(value)) return value.toLowerCase();
  const hex = Buffer.from(value, "base64").toString("hex");
  return hex.length === bytes * 2 ? hex : "";
}

/** Nanoseconds (string or number) to microseconds; NaN when unreadable. */
function nsToUs(value: unknown): number {
  if (typeof value === "number") return Math.floor(value / 1000);
  if (typeof value === "string" && /^[0-9]+$/.test(value)) {
    return value.length <= 3 ? 0 : Number(value.slice(0, -3));
  }
  return Number.NaN;
}

/** A number token written into a line as it is (a 64-bit integer or a float stays exact). */
class RawNumber {
  constructor(readonly text: string) {}
}

function floatToken(n: number): unknown {
  if (!Number.isFinite(n)) return String(n);
  const text = String(n);
  return new RawNumber(/[.eE]/.test(text) ? text : `${text}.0`);
}

function anyValue(v: Json): unknown {
  if (v === null || typeof v !== "object") return v ?? null;
  if ("stringValue" in v) return String(v.stringValue);
  if ("boolValue" in v) return Boolean(v.boolValue);
  if ("intValue" in v) {
    const text = String(v.intValue);
    return /^-?[0-9]+$/.test(text) ? new RawNumber(text) : text;
  }
  if ("doubleValue" in v) return floatToken(Number(v.doubleValue));
  if ("arrayValue" in v) return (v.arrayValue?.values ?? []).map(anyValue);
  if ("kvlistValue" in v) return otlpAttributes(v.kvlistValue?.values);
  if ("bytesValue" in v) return String(v.bytesValue);
  return null;
}

function otlpAttributes(list: Json): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) if (kv && typeof kv.key === "string") out[kv.key] = anyValue(kv.value);
  return out;
}

function jaegerTags(list: Json): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (const t of list) if (t && typeof t.key === "string") out[t.key] = t.value ?? null;
  return out;
}

/** The spans of one OTLP/Tempo `ResourceSpans`, with their service. */
function fromResourceSpans(rs: Json): { service: string; spans: ImportedSpan[] } {
  const resource = otlpAttributes(rs?.resource?.attributes);
  const service = typeof resource["service.name"] === "string" ? resource["service.name"] : "";
  const spans: ImportedSpan[] = [];
  const scopes = rs?.scopeSpans ?? rs?.instrumentationLibrarySpans ?? [];
  for (const scope of Array.isArray(scopes) ? scopes : []) {
    for (const s of Array.isArray(scope?.spans) ? scope.spans : []) {
      const events: ImportedEvent[] = [];
      for (const e of Array.isArray(s.events) ? s.events : []) {
        events.push({
          timeUs: nsToUs(e.timeUnixNano),
          name: String(e.name ?? ""),
          attributes: otlpAttributes(e.attributes),
        });
      }
      spans.push({
        traceId: hexId(s.traceId, 16),
        spanId: hexId(s.spanId, 8),
        parentId: hexId(s.parentSpanId, 8),
        name: String(s.name ?? ""),
        startUs: nsToUs(s.startTimeUnixNano),
        endUs: nsToUs(s.endTimeUnixNano),
        attributes: otlpAttributes(s.attributes),
        events,
      });
    }
  }
  return { service, spans };
}

/** The spans of one Jaeger trace, by service. */
function fromJaegerTrace(trace: Json): { service: string; spans: ImportedSpan[] }[] {
  const processes = trace?.processes ?? {};
  const byService = new Map<string, ImportedSpan[]>();
  for (const s of Array.isArray(trace?.spans) ? trace.spans : []) {
    const service = String(processes[s.processID]?.serviceName ?? "");
    const parent = (Array.isArray(s.references) ? s.references : []).find(
      (r: Json) => r?.refType === "CHILD_OF",
    );
    const start = Number(s.startTime);
    const tags = jaegerTags(s.tags);
    for (const k of ["otel.scope.name", "span.kind", "error", "otel.status_description"])
      delete tags[k];
    const span: ImportedSpan = {
      traceId: hexId(s.traceID, 16),
      spanId: hexId(s.spanID, 8),
      parentId: hexId(parent?.spanID, 8),
      name: String(s.operationName ?? ""),
      startUs: start,
      endUs: start + Number(s.duration ?? 0),
      attributes: tags,
      events: (Array.isArray(s.logs) ? s.logs : []).map((l: Json) => {
        const fields = jaegerTags(l.fields);
        const name = String(fields.event ?? "");
        delete fields.event;
        return { timeUs: Number(l.timestamp), name, attributes: fields };
      }),
    };
    const list = byService.get(service);
    if (list === undefined) byService.set(service, [span]);
    else list.push(span);
  }
  return [...byService].map(([service, spans]) => ({ service, spans }));
}

/** Microseconds since the epoch as Dynamo writes times (RFC 3339, µs, UTC). */
function rfc3339(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${String(us - Math.floor(us / 1e6) * 1e6).padStart(6, "0")}Z`;
}

/** Attributes that travel as record keys, not as span fields. */
const NOT_FIELDS = new Set([
  "busy_ns",
  "idle_ns",
  "target",
  "code.file.path",
  "code.filepath",
  "code.line.number",
  "code.lineno",
  "code.module.name",
  "code.namespace",
  "dynlog.open",
  "dynlog.inferred",
  "dynlog.start_estimated",
  "thread.id",
  "thread.name",
  "level",
  "busy_us",
  "idle_us",
]);

function fieldsOf(attributes: Record<string, unknown>): [string, unknown][] {
  return Object.entries(attributes)
    .filter(([k]) => !NOT_FIELDS.has(k) && !k.startsWith("time."))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function token(value: unknown): string {
  if (value instanceof RawNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(token).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const parts = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${token(v)}`);
    return `{${parts.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** One JSONL line in Dynamo's key order: the head keys, the fields, then the ids. */
function line(
  head: Record<string, unknown>,
  fields: [string, unknown][],
  ids: Record<string, string>,
): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  const add = (k: string, v: unknown) => {
    if (seen.has(k)) return;
    seen.add(k);
    parts.push(`${JSON.stringify(k)}:${token(v)}`);
  };
  for (const [k, v] of Object.entries(head)) add(k, v);
  for (const [k, v] of fields) add(k, v);
  for (const [k, v] of Object.entries(ids)) if (v !== "") add(k, v);
  return `{${parts.join(",")}}`;
}

function microsFromNs(value: unknown): number | null {
  const n = Number(value instanceof RawNumber ? value.text : value);
  return Number.isFinite(n) && n >= 0 ? Math.round(n / 1000) : null;
}

/** The log lines Dynamo would have written for one span. */
function spanLines(span: ImportedSpan): string[] {
  if (span.traceId === "" || span.spanId === "" || !Number.isFinite(span.startUs)) return [];
  const a = span.attributes;
  const target = String(a.target ?? a["code.module.name"] ?? a["code.namespace"] ?? "");
  const file = a["code.file.path"] ?? a["code.filepath"];
  const lineNo = a["code.line.number"] ?? a["code.lineno"];
  const location: Record<string, unknown> = {};
  if (file !== undefined) location.file = String(file);
  if (lineNo !== undefined) location.line = lineNo;
  const fields = fieldsOf(a);
  const ids = {
    parent_id: span.parentId,
    span_id: span.spanId,
    span_name: span.name,
    trace_id: span.traceId,
  };
  const out: string[] = [];
  const endUs = Number.isFinite(span.endUs) ? Math.max(span.endUs, span.startUs) : span.startUs;
  if (a["dynlog.inferred"] !== true && a["dynlog.start_estimated"] !== true) {
    out.push(
      line(
        {
          time: rfc3339(span.startUs),
          level: "INFO",
          ...location,
          target,
          message: "SPAN_FIRST_ENTRY",
        },
        fields,
        ids,
      ),
    );
  }
  for (const e of span.events) {
    if (!Number.isFinite(e.timeUs)) continue;
    const level = String(e.attributes.level ?? "INFO").toUpperCase();
    const eventTarget = String(e.attributes.target ?? target);
    const own = fieldsOf(e.attributes);
    out.push(
      line(
        { time: rfc3339(e.timeUs), level, target: eventTarget, message: e.name },
        [...own, ...fields],
        ids,
      ),
    );
  }
  if (a["dynlog.inferred"] !== true && a["dynlog.open"] !== true) {
    const busy = microsFromNs(a.busy_ns);
    const idle = microsFromNs(a.idle_ns);
    const timing: [string, unknown][] = [];
    if (busy !== null) timing.push(["time.busy_us", busy]);
    timing.push([
      "time.duration_us",
      busy !== null && idle !== null ? busy + idle : endUs - span.startUs,
    ]);
    if (idle !== null) timing.push(["time.idle_us", idle]);
    out.push(
      line(
        { time: rfc3339(endUs), level: "INFO", ...location, target, message: "SPAN_CLOSED" },
        [...fields, ...timing],
        ids,
      ),
    );
  }
  return out;
}

/** The log lines of one streamed element (a resource's spans, or a Jaeger trace), per service. */
export function elementLines(element: Json): { service: string; lines: string[] }[] {
  const groups =
    element && typeof element === "object" && "traceID" in element
      ? fromJaegerTrace(element)
      : [fromResourceSpans(element)];
  return groups.map(({ service, spans }) => ({ service, lines: spans.flatMap(spanLines) }));
}
