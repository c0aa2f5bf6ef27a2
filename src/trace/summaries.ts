/**
 * Summaries for `traces` and `stats`: compact span states of the span model (no records kept),
 * per trace; at the end each trace is linked by the model and projected to a row (`traces`) or
 * into per (service, span name) duration buckets (`stats`). A filter selects traces by their
 * records; a selected trace is always summarised whole.
 *
 * Receives: records (any order between inputs, input order within one). Emits: rows when asked.
 */
import type { LogRecord } from "../model/record.js";
import { own } from "../model/strings.js";
import type { Span, Trace } from "./span.js";
import {
  finishSpan,
  type RecordService,
  SpanPairer,
  type SpanState,
  spanDurationUs,
  traceOfStates,
} from "./span-model.js";

/**
 * Spans remembered per trace (a few hundred bytes each). Past this, a trace's further spans are
 * only counted (by their SPAN_CLOSED) and its row says the count is a lower bound: one hostile
 * trace cannot take the memory of all the others.
 */
export const MAX_SUMMARY_SPANS = 10_000;

interface TraceEntry {
  traceId: string;
  requestId: string;
  states: SpanState[];
  /** Spans past MAX_SUMMARY_SPANS, counted by their closes. */
  extraSpans: number;
  capped: boolean;
  /** Whether a record of the trace passed the filter (always, without one). */
  selected: boolean;
}

export interface TraceRow {
  traceId: string;
  requestId: string;
  startUs: number;
  /** The request's duration (its root span's); see `durationLowerBound`. */
  durationUs: number;
  /** The root is open or inferred: `durationUs` is a lower bound. */
  durationLowerBound: boolean;
  spanCount: number;
  /** True when the trace had more spans than MAX_SUMMARY_SPANS: `spanCount` is a lower bound. */
  spansCapped: boolean;
  services: string[];
  root: string;
  method: string;
  uri: string;
  warnings: number;
  errors: number;
  /** A span was opened and never closed. */
  open: boolean;
  openSpans: number;
  /** Spans known from their records only (no span events in their log). */
  inferredSpans: number;
  /** Spans per span name, in first-seen order. */
  spanNames: Map<string, number>;
}

function namesOf(trace: Trace): Map<string, number> {
  const names = new Map<string, number>();
  for (const s of trace.spans) names.set(s.name, (names.get(s.name) ?? 0) + 1);
  return names;
}

/** What `traces` shows of a trace. */
export function traceRow(trace: Trace, capped = false, extraSpans = 0): TraceRow {
  const root = trace.root;
  return {
    traceId: trace.traceId,
    requestId: trace.requestId,
    startUs: trace.startUs,
    durationUs: trace.durationUs,
    durationLowerBound: trace.durationLowerBound,
    spanCount: trace.spans.length + extraSpans,
    spansCapped: capped,
    services: trace.services,
    root: root?.name ?? "",
    method: root?.attributes.get("method") ?? "",
    uri: root?.attributes.get("uri") ?? "",
    warnings: trace.warnings,
    errors: trace.errors,
    open: trace.open > 0,
    openSpans: trace.open,
    inferredSpans: trace.inferred,
    spanNames: namesOf(trace),
  };
}

export class TraceSummaries {
  readonly traces = new Map<string, TraceEntry>();
  private readonly pairer: SpanPairer;

  constructor(
    service: RecordService,
    private readonly select: ((rec: LogRecord) => boolean) | null = null,
    /** Keep the roots' method and uri (rows show them; statistics do not). */
    rootAttributes = true,
  ) {
    this.pairer = new SpanPairer({ service, admit: (rec) => this.admit(rec), rootAttributes });
  }

  private admit(rec: LogRecord): boolean {
    const entry = this.traces.get(rec.traceId) as TraceEntry;
    if (entry.states.length < MAX_SUMMARY_SPANS) return true;
    entry.capped = true;
    if (rec.marker === "closed") entry.extraSpans++;
    return false;
  }

  add(rec: LogRecord): void {
    if (rec.traceId === "") return;
    let entry = this.traces.get(rec.traceId);
    if (entry === undefined) {
      entry = {
        traceId: own(rec.traceId),
        requestId: "",
        states: [],
        extraSpans: 0,
        capped: false,
        selected: this.select === null,
      };
      this.traces.set(entry.traceId, entry);
    }
    if (!entry.selected && (this.select as (rec: LogRecord) => boolean)(rec)) entry.selected = true;
    if (entry.requestId === "" && rec.requestId !== "") entry.requestId = own(rec.requestId);
    const started = this.pairer.started;
    const state = this.pairer.add(rec);
    if (state !== null && this.pairer.started !== started) entry.states.push(state);
  }

  /** Span instances seen, and of those the ones without any span marker (to be inferred). */
  spanCounts(): { spans: number; inferred: number } {
    let spans = 0;
    let inferred = 0;
    for (const entry of this.traces.values()) {
      spans += entry.states.length;
      for (const s of entry.states) if (!s.hasOpen && !s.hasClose) inferred++;
    }
    return { spans, inferred };
  }

  /** The selected traces, linked by the span model, one at a time. */
  *selected(): Generator<{ trace: Trace; entry: TraceEntry }> {
    for (const entry of this.traces.values()) {
      if (!entry.selected || entry.states.length === 0) continue;
      yield { trace: traceOfStates(entry.traceId, entry.requestId, entry.states, false), entry };
    }
  }

  /** The spans of the selected traces, unlinked (what per-span statistics need). */
  *spans(): Generator<Span> {
    for (const entry of this.traces.values()) {
      if (entry.selected) for (const state of entry.states) yield finishSpan(state);
    }
  }

  /** One row per selected trace. */
  rows(): TraceRow[] {
    const rows: TraceRow[] = [];
    for (const { trace, entry } of this.selected())
      rows.push(traceRow(trace, entry.capped, entry.extraSpans));
    return rows;
  }
}

export interface SpanStats {
  service: string;
  name: string;
  /** Spans with a duration: closed, or inferred from their records. */
  count: number;
  /** Of `count`, spans inferred from their records: their durations are lower bounds. */
  inferred: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
  busyMeanUs: number | null;
  idleMeanUs: number | null;
  /** Every duration counted, ascending (for histograms). */
  durationsUs: number[];
}

interface StatsBucket {
  service: string;
  name: string;
  durations: number[];
  inferred: number;
  busySum: number;
  busyCount: number;
  idleSum: number;
  idleCount: number;
}

/** Nearest-rank percentile of sorted values: the smallest value with at least p% at or below. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** Per (service, span name) durations of the given spans that have one (closed or inferred). */
export function spanStatistics(spans: Iterable<Span>): SpanStats[] {
  const buckets = new Map<string, StatsBucket>();
  for (const span of spans) {
    const inferred = span.flags.has("inferred");
    if (!span.closed && !inferred) continue;
    const duration = spanDurationUs(span);
    if (Number.isNaN(duration)) continue;
    const key = `${span.service}\u0000${span.name}`;
    let b = buckets.get(key);
    if (b === undefined) {
      b = {
        service: span.service,
        name: span.name,
        durations: [],
        inferred: 0,
        busySum: 0,
        busyCount: 0,
        idleSum: 0,
        idleCount: 0,
      };
      buckets.set(key, b);
    }
    b.durations.push(duration);
    if (inferred) b.inferred++;
    if (span.busyUs !== null && !Number.isNaN(span.busyUs)) {
      b.busySum += span.busyUs;
      b.busyCount++;
    }
    if (span.idleUs !== null && !Number.isNaN(span.idleUs)) {
      b.idleSum += span.idleUs;
      b.idleCount++;
    }
  }
  return [...buckets.values()].map((b) => {
    const values = Array.from(Float64Array.from(b.durations).sort());
    return {
      service: b.service,
      name: b.name,
      count: values.length,
      inferred: b.inferred,
      p50Us: percentile(values, 50),
      p90Us: percentile(values, 90),
      p99Us: percentile(values, 99),
      maxUs: values[values.length - 1] as number,
      busyMeanUs: b.busyCount > 0 ? Math.round(b.busySum / b.busyCount) : null,
      idleMeanUs: b.idleCount > 0 ? Math.round(b.idleSum / b.idleCount) : null,
      durationsUs: values,
    };
  });
}
