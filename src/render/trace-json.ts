/**
 * A trace as the JSON document of the CLI contract (spec/cli.md): times in UTC with microseconds,
 * children by start time, orphans as roots with their parent id kept. dynlog adds `service`
 * extras the contract allows: `flags`, `critical`, `warnings`, `errors` per span, `depth` per
 * trace.
 */
import type { LogRecord } from "../model/record.js";
import type { Span, Trace } from "../trace/span.js";
import { utcOrNull } from "./time-zone.js";

export interface SpanJson {
  span_id: string;
  parent_id: string | null;
  name: string;
  service: string;
  target: string;
  start: string | null;
  end: string | null;
  duration_us: number | null;
  busy_us: number | null;
  idle_us: number | null;
  closed: boolean;
  attributes: Record<string, string>;
  children: SpanJson[];
  flags: string[];
  critical: boolean;
  warnings: number;
  errors: number;
  /** With `--logs`: the records logged inside the span, and the lines that belong to them. */
  records?: (RecordJson | LineJson)[];
}

export interface RecordJson {
  time: string;
  level: string;
  target: string;
  message: string;
  fields: Record<string, string>;
}

/** A line that is not a record (a traceback's body), after the record it belongs to. */
export interface LineJson {
  line: string;
}

function recordJson(rec: LogRecord): RecordJson | LineJson {
  if (rec.kind === "unparsed") {
    return { line: typeof rec.raw === "string" ? rec.raw : rec.raw.toString("utf8") };
  }
  const fields: Record<string, string> = Object.create(null);
  for (const f of rec.fields) fields[f.key] = f.text;
  return {
    time: rec.time,
    level: rec.levelText,
    target: rec.target,
    message: rec.message,
    fields,
  };
}

function finiteOrNull(us: number): number | null {
  return Number.isFinite(us) ? us : null;
}

function spanJson(span: Span, children: SpanJson[]): SpanJson {
  const attributes: Record<string, string> = Object.create(null);
  for (const [k, v] of span.attributes) attributes[k] = v;
  return {
    span_id: span.spanId,
    parent_id: span.parentId === "" ? null : span.parentId,
    name: span.name,
    service: span.service,
    target: span.target,
    start: utcOrNull(span.startUs),
    end: span.closed ? utcOrNull(span.endUs) : null,
    duration_us: span.closed ? finiteOrNull(span.durationUs ?? span.endUs - span.startUs) : null,
    busy_us: span.busyUs,
    idle_us: span.idleUs,
    closed: span.closed,
    attributes,
    children,
    flags: [...span.flags].sort(),
    critical: span.critical,
    warnings: span.warnings,
    errors: span.errors,
  };
}

/** Builds children before parents (reverse tree order), without recursion. */
export function traceJson(trace: Trace, logs = false): object {
  const built = new Map<Span, SpanJson>();
  for (let i = trace.spans.length - 1; i >= 0; i--) {
    const span = trace.spans[i] as Span;
    const json = spanJson(
      span,
      span.children.map((c) => built.get(c) as SpanJson),
    );
    if (logs) json.records = span.records.map(recordJson);
    built.set(span, json);
  }
  return {
    trace_id: trace.traceId,
    x_request_id: trace.requestId === "" ? null : trace.requestId,
    start: utcOrNull(trace.startUs),
    duration_us: finiteOrNull(trace.durationUs),
    duration_is_lower_bound: trace.durationLowerBound,
    extent_us: finiteOrNull(trace.endUs - trace.startUs),
    span_count: trace.spans.length,
    services: trace.services,
    depth: trace.depth,
    roots: trace.roots.map((r) => built.get(r) as SpanJson),
  };
}
