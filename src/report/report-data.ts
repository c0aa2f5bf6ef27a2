/**
 * Collected summaries and traces to the page's data (`data-shape.ts`): rows column by column, a
 * timeline of requests per interval, per-span-name histograms, and each detailed trace's spans
 * with their records. Percentiles are the ones `stats` computes (`percentile`).
 *
 * Receives: summary rows, span statistics, assembled traces. Emits: a `ReportData`.
 */
import { LEVEL_NAMES } from "../model/level.js";
import { formatFieldValue } from "../render/dynamo-layout.js";
import { LOG_FIELDS_MAX, LOG_TEXT_MAX, LOGS_PER_SPAN_MAX } from "../render/span-logs.js";
import { flagNotes } from "../render/waterfall.js";
import type { Span, Trace } from "../trace/span.js";
import { percentile, type SpanStats, type TraceRow, traceRow } from "../trace/summaries.js";
import type {
  RecordData,
  ReportData,
  SpanData,
  StatsRow,
  Timeline,
  TraceData,
} from "./data-shape.js";
import { emptyRows, indexer, packRows } from "./request-rows.js";

/** Intervals the timeline aims at. */
const TIMELINE_POINTS = 120;
/** Interval lengths the timeline picks from (µs): round numbers a reader can name. */
const INTERVALS_US = [
  1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 15e6, 3e7, 6e7, 12e7, 3e8, 6e8,
  9e8, 18e8, 36e8, 72e8, 144e8, 288e8, 864e8,
];
/** Histogram buckets per factor of 10 of duration. */
const BUCKETS_PER_DECADE = 4;

/** At most `max` characters, cut with an ellipsis (never inside a surrogate pair). */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** The requests chosen for detail: the `limit` slowest, and every one with an error or open span. */
export function chooseDetail(rows: readonly TraceRow[], limit: number): Set<string> {
  const chosen = new Set<string>();
  const slowest = [...rows].sort((a, b) => b.durationUs - a.durationUs);
  for (const r of slowest.slice(0, limit)) chosen.add(r.traceId);
  for (const r of rows) if (r.errors > 0 || r.open) chosen.add(r.traceId);
  return chosen;
}

function finite(us: number): number | null {
  return Number.isFinite(us) ? us : null;
}

function timelineOf(rows: readonly TraceRow[], startUs: number, endUs: number): Timeline {
  const span = Math.max(1, endUs - startUs);
  const intervalUs =
    INTERVALS_US.find((i) => span / i <= TIMELINE_POINTS) ?? (INTERVALS_US.at(-1) as number);
  const first = Math.floor(startUs / intervalUs) * intervalUs;
  const count = rows.length === 0 ? 0 : Math.floor((endUs - first) / intervalUs) + 1;
  const durations: number[][] = Array.from({ length: count }, () => []);
  const errors = new Array<number>(count).fill(0);
  for (const r of rows) {
    if (!Number.isFinite(r.startUs)) continue;
    const i = Math.floor((r.startUs - first) / intervalUs);
    durations[i]?.push(r.durationUs);
    if (r.errors > 0) errors[i] = (errors[i] ?? 0) + 1;
  }
  const sorted = durations.map((d) => d.filter(Number.isFinite).sort((a, b) => a - b));
  return {
    t: sorted.map((_, i) => (first + i * intervalUs) / 1e6),
    intervalUs,
    requests: durations.map((d) => d.length),
    p50: sorted.map((d) => (d.length > 0 ? percentile(d, 50) : null)),
    p99: sorted.map((d) => (d.length > 0 ? percentile(d, 99) : null)),
    errors,
  };
}

function histogramOf(sortedUs: readonly number[]): { from: number[]; count: number[] } {
  const from: number[] = [];
  const count: number[] = [];
  for (const us of sortedUs) {
    const k = Math.floor(Math.log10(Math.max(1, us)) * BUCKETS_PER_DECADE);
    const lower = Math.round(10 ** (k / BUCKETS_PER_DECADE));
    if (from.at(-1) === lower) count[count.length - 1] = (count.at(-1) as number) + 1;
    else {
      from.push(lower);
      count.push(1);
    }
  }
  return { from, count };
}

function statsRow(s: SpanStats): StatsRow {
  return {
    service: s.service,
    name: s.name,
    count: s.count,
    p50: s.p50Us,
    p90: s.p90Us,
    p99: s.p99Us,
    max: s.maxUs,
    busyMean: s.busyMeanUs,
    idleMean: s.idleMeanUs,
    histogram: histogramOf(s.durationsUs),
  };
}

function recordsOf(span: Span, trace: Trace): RecordData[] {
  return span.records.slice(0, LOGS_PER_SPAN_MAX).map((rec) => {
    const own = rec.fields.filter((f) => !span.attributes.has(f.key)).slice(0, LOG_FIELDS_MAX);
    return [
      Number.isNaN(rec.timeUs) ? null : rec.timeUs - trace.startUs,
      LEVEL_NAMES[rec.level],
      cut(rec.target, LOG_TEXT_MAX),
      cut(rec.message, LOG_TEXT_MAX),
      own.map((f) => [cut(f.key, LOG_TEXT_MAX), cut(formatFieldValue(f), LOG_TEXT_MAX)]),
    ];
  });
}

export function traceData(trace: Trace): TraceData {
  const index = new Map<Span, number>();
  for (const [i, s] of trace.spans.entries()) index.set(s, i);
  const spans: SpanData[] = trace.spans.map((s) => ({
    id: s.spanId,
    parentId: s.parentId,
    parent: s.parent === null ? -1 : (index.get(s.parent) ?? -1),
    depth: s.depth,
    name: s.name,
    service: s.service,
    target: s.target,
    start: s.startUs - trace.startUs,
    end: s.endUs - trace.startUs,
    duration: s.closed ? finite(s.durationUs ?? s.endUs - s.startUs) : null,
    busy: s.busyUs,
    idle: s.idleUs,
    closed: s.closed,
    critical: s.critical,
    flags: [...s.flags].sort(),
    notes: flagNotes(s),
    warnings: s.warnings,
    errors: s.errors,
    attributes: [...s.attributes].map(([k, v]) => [cut(k, LOG_TEXT_MAX), cut(v, LOG_TEXT_MAX)]),
    records: recordsOf(s, trace),
    moreRecords: Math.max(0, s.records.length + s.droppedRecords - LOGS_PER_SPAN_MAX),
  }));
  return {
    traceId: trace.traceId,
    requestId: trace.requestId,
    startUs: trace.startUs,
    endUs: trace.endUs,
    services: trace.services,
    spans,
  };
}

export interface ReportInput {
  title: string;
  inputs: string[];
  detailLimit: number;
  rows: readonly TraceRow[];
  stats: readonly SpanStats[];
  traces: ReadonlyMap<string, Trace>;
}

export function reportData(input: ReportInput): ReportData {
  const rows = [...input.rows].sort((a, b) => a.startUs - b.startUs);
  let startUs = Number.POSITIVE_INFINITY;
  let endUs = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    if (!Number.isFinite(r.startUs)) continue;
    startUs = Math.min(startUs, r.startUs);
    endUs = Math.max(endUs, r.startUs + (Number.isFinite(r.durationUs) ? r.durationUs : 0));
  }
  if (!Number.isFinite(startUs)) startUs = endUs = 0;
  const services: string[] = [];
  const serviceOf = indexer(services, (name: string) => name);
  for (const s of input.stats) serviceOf(s.service);
  const traces: TraceData[] = [];
  const columns = emptyRows();
  for (const r of rows) {
    columns.traceId.push(r.traceId);
    columns.requestId.push(r.requestId);
    columns.start.push(Number.isFinite(r.startUs) ? r.startUs - startUs : 0);
    columns.duration.push(Number.isFinite(r.durationUs) ? r.durationUs : 0);
    columns.root.push(cut(r.root, LOG_TEXT_MAX));
    columns.method.push(cut(r.method, LOG_TEXT_MAX));
    columns.uri.push(cut(r.uri, LOG_TEXT_MAX));
    columns.spans.push(r.spanCount);
    columns.spansCapped.push(r.spansCapped);
    columns.services.push(r.services.map(serviceOf));
    columns.warnings.push(r.warnings);
    columns.errors.push(r.errors);
    columns.open.push(r.open);
    const trace = input.traces.get(r.traceId);
    if (trace === undefined) columns.detail.push(-1);
    else {
      columns.detail.push(traces.length);
      traces.push(traceData(trace));
      for (const s of trace.services) serviceOf(s);
    }
  }
  return {
    version: 1,
    title: input.title,
    inputs: input.inputs,
    detailLimit: input.detailLimit,
    startUs,
    endUs,
    services,
    rows: packRows(columns),
    stats: input.stats.map(statsRow),
    timeline: timelineOf(rows, startUs, endUs),
    traces,
  };
}

/** The summary row of an assembled trace: the one `traces` shows. */
export const traceRowOf = (trace: Trace): TraceRow => traceRow(trace);
