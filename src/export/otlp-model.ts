/**
 * Traces as OTLP's `TracesData` (the OTLP/JSON shape: hex ids, nanosecond times as decimal
 * strings, integer enums). Every other export format and the protobuf encoding start from this
 * one model, so a span carries the same things everywhere:
 * - resource `service.name` (the service dynlog attributed) plus `OTEL_RESOURCE_ATTRIBUTES`;
 *   scope `dynlog` and its version;
 * - kind SERVER for the frontend's `http-request`, else INTERNAL, unless `otel.kind` says;
 * - the span's fields, `busy_ns`/`idle_ns`, `x_request_id`, `target`, its marker's code location
 *   (`code.file.path`, `code.line.number`: tracing-opentelemetry 0.32's names), and provenance
 *   where dynlog had to guess: `dynlog.inferred`, `dynlog.open`, `dynlog.start_estimated`;
 * - the records logged inside the span as events (at most `MAX_EVENTS`, the rest counted in
 *   `droppedEventsCount`); status ERROR when an ERROR record belongs to the span.
 *
 * Receives: assembled traces. Emits: plain objects ready for JSON or protobuf encoding.
 */
import { LEVEL_NAMES } from "../model/level.js";
import type { Field, LogRecord } from "../model/record.js";
import type { Span, Trace } from "../trace/span.js";

export interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
}

export interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface OtlpEvent {
  timeUnixNano: string;
  name: string;
  attributes: KeyValue[];
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  events: OtlpEvent[];
  droppedEventsCount?: number;
  status: { code?: number; message?: string };
}

export interface Resource {
  attributes: KeyValue[];
}

export interface Scope {
  name: string;
  version: string;
}

export interface ResourceSpans {
  resource: Resource;
  scopeSpans: { scope: Scope; spans: OtlpSpan[] }[];
}

export interface TracesData {
  resourceSpans: ResourceSpans[];
}

/** Events kept per span; Dynamo's own exporter keeps 128 by default. */
export const MAX_EVENTS = 128;

export const SPAN_KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;
export const STATUS_ERROR = 2;

export interface ExportContext {
  scope: Scope;
  /** Extra resource attributes (`OTEL_RESOURCE_ATTRIBUTES`), added to every resource. */
  resource: KeyValue[];
}

export function str(key: string, value: string): KeyValue {
  return { key, value: { stringValue: value } };
}

function int(key: string, value: number): KeyValue {
  return { key, value: { intValue: String(value) } };
}

/** A code location as tracing-opentelemetry 0.32 names it: `code.file.path`, `code.line.number`. */
export function codeLocation(file: string, line: string): KeyValue[] {
  const out: KeyValue[] = [];
  if (file !== "") out.push(str("code.file.path", file));
  if (/^[0-9]+$/.test(line)) out.push({ key: "code.line.number", value: { intValue: line } });
  return out;
}

/** Microseconds since the epoch as OTLP's nanosecond string. */
export function nanos(us: number): string {
  if (!Number.isFinite(us) || us <= 0) return "0";
  return `${Math.round(us)}000`;
}

/** A record field as a typed attribute value (numbers that are integers stay integers). */
export function fieldValue(field: Field): AnyValue {
  switch (field.kind) {
    case "string":
      return { stringValue: field.text };
    case "bool":
      return { boolValue: field.raw === "true" };
    case "number":
      if (/^-?[0-9]+$/.test(field.raw)) return { intValue: field.raw };
      return { doubleValue: Number(field.raw) };
    default:
      return { stringValue: field.raw };
  }
}

function kindOf(span: Span): number {
  const declared = span.attributes.get("otel.kind")?.toLowerCase();
  if (declared !== undefined && declared in SPAN_KIND) {
    return SPAN_KIND[declared as keyof typeof SPAN_KIND];
  }
  return span.name === "http-request" ? SPAN_KIND.server : SPAN_KIND.internal;
}

/** An event: level, target and the record's own fields (the span's, flattened in, left out). */
function eventOf(rec: LogRecord, span: Span): OtlpEvent {
  const attributes: KeyValue[] = [
    str("level", rec.levelText || (LEVEL_NAMES[rec.level] as string)),
    str("target", rec.target),
  ];
  for (const f of rec.fields) {
    if (span.attributes.get(f.key) !== f.text)
      attributes.push({ key: f.key, value: fieldValue(f) });
  }
  return { timeUnixNano: nanos(rec.timeUs), name: rec.message, attributes };
}

function spanOf(span: Span, trace: Trace): OtlpSpan {
  const attributes: KeyValue[] = [];
  for (const [k, v] of span.attributes) attributes.push(str(k, v));
  if (trace.requestId !== "" && !span.attributes.has("x_request_id")) {
    attributes.push(str("x_request_id", trace.requestId));
  }
  if (span.busyUs !== null) attributes.push(int("busy_ns", span.busyUs * 1000));
  if (span.idleUs !== null) attributes.push(int("idle_ns", span.idleUs * 1000));
  if (span.target !== "") attributes.push(str("target", span.target));
  attributes.push(...codeLocation(span.codeFile, span.codeLine));
  if (span.flags.has("inferred"))
    attributes.push({ key: "dynlog.inferred", value: { boolValue: true } });
  if (span.flags.has("open")) attributes.push({ key: "dynlog.open", value: { boolValue: true } });
  if (span.flags.has("start-from-duration")) {
    attributes.push({ key: "dynlog.start_estimated", value: { boolValue: true } });
  }
  const events: OtlpEvent[] = [];
  const shown = Math.min(span.records.length, MAX_EVENTS);
  for (let i = 0; i < shown; i++) events.push(eventOf(span.records[i] as LogRecord, span));
  const out: OtlpSpan = {
    traceId: trace.traceId,
    spanId: span.spanId,
    name: span.name,
    kind: kindOf(span),
    startTimeUnixNano: nanos(span.startUs),
    endTimeUnixNano: nanos(span.endUs),
    attributes,
    events,
    status: {},
  };
  if (span.parentId !== "") out.parentSpanId = span.parentId;
  const dropped = span.records.length + span.droppedRecords - shown;
  if (dropped > 0) out.droppedEventsCount = dropped;
  if (span.errors > 0) {
    out.status = { code: STATUS_ERROR, message: span.firstError?.message ?? "" };
  }
  return out;
}

/** A resource: `service.name`, then the extra attributes (not overriding the service). */
export function resourceOf(service: string, context: ExportContext): Resource {
  const attributes = [str("service.name", service)];
  for (const kv of context.resource) if (kv.key !== "service.name") attributes.push(kv);
  return { attributes };
}

/** A span of a trace: the unit batches are cut in. */
export interface TraceSpan {
  span: Span;
  trace: Trace;
}

/** Spans (of one trace or several) as `TracesData`: one resource per service, in the order given. */
export function tracesDataOf(items: readonly TraceSpan[], context: ExportContext): TracesData {
  const byService = new Map<string, OtlpSpan[]>();
  for (const { span, trace } of items) {
    const list = byService.get(span.service);
    if (list === undefined) byService.set(span.service, [spanOf(span, trace)]);
    else list.push(spanOf(span, trace));
  }
  const resourceSpans: ResourceSpans[] = [];
  for (const [service, spans] of byService) {
    resourceSpans.push({
      resource: resourceOf(service, context),
      scopeSpans: [{ scope: context.scope, spans }],
    });
  }
  return { resourceSpans };
}

/** Traces as `TracesData`, spans in tree order. */
export function tracesData(traces: readonly Trace[], context: ExportContext): TracesData {
  const items: TraceSpan[] = [];
  for (const trace of traces) for (const span of trace.spans) items.push({ span, trace });
  return tracesDataOf(items, context);
}

/**
 * The service name the environment gives, as OpenTelemetry SDKs read it: `OTEL_SERVICE_NAME`,
 * else `service.name` in `OTEL_RESOURCE_ATTRIBUTES`; null when neither (or empty).
 */
export function environmentService(env: NodeJS.ProcessEnv): string | null {
  const named = env.OTEL_SERVICE_NAME?.trim();
  if (named) return named;
  const attribute = parseResourceAttributes(env.OTEL_RESOURCE_ATTRIBUTES).findLast(
    (kv) => kv.key === "service.name",
  );
  return attribute?.value.stringValue || null;
}

/** `OTEL_RESOURCE_ATTRIBUTES` (`k=v,k2=v2`, values percent-encoded) as attributes. */
export function parseResourceAttributes(text: string | undefined): KeyValue[] {
  const out: KeyValue[] = [];
  if (text === undefined || text.trim() === "") return out;
  for (const pair of text.split(",")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    const key = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // Kept as written when it is not valid percent-encoding.
    }
    out.push(str(key, value));
  }
  return out;
}
