/**
 * Streaming summaries for `traces` and `stats`, built from span markers and warning/error records
 * only, without keeping records: per trace, a few numbers and one small entry per span (about
 * 200 bytes a span); per (service, span name), the closed spans' durations (kept for exact
 * percentiles) and busy/idle sums.
 *
 * Receives: records (any order within a trace). Emits: summaries when asked.
 */
import { WARN } from "../model/level.js";
import type { LogRecord } from "../model/record.js";
import { own } from "../model/strings.js";
import { lookupValue } from "../parse/normalize.js";

/**
 * Spans remembered per trace (about 200 bytes each). Past this, a trace's further spans are only
 * counted (by their SPAN_CLOSED) and its row says the count is a lower bound: one hostile trace
 * cannot take the memory of all the others.
 */
export const MAX_SUMMARY_SPANS = 10_000;

interface SpanEntry {
  parentId: string;
  name: string;
  label: string;
  startUs: number;
  endUs: number;
  opened: boolean;
  closed: boolean;
  method: string;
  uri: string;
}

export interface TraceSummary {
  traceId: string;
  requestId: string;
  startUs: number;
  endUs: number;
  spans: Map<string, SpanEntry>;
  /** Spans past MAX_SUMMARY_SPANS, counted by their closes. */
  extraSpans: number;
  capped: boolean;
  warnings: number;
  errors: number;
}

export interface TraceRow {
  traceId: string;
  requestId: string;
  startUs: number;
  durationUs: number;
  spanCount: number;
  /** True when the trace had more spans than MAX_SUMMARY_SPANS: `spanCount` is a lower bound. */
  spansCapped: boolean;
  services: string[];
  root: string;
  method: string;
  uri: string;
  warnings: number;
  errors: number;
  open: boolean;
}

function spanEntry(summary: TraceSummary, rec: LogRecord): SpanEntry | null {
  let entry = summary.spans.get(rec.spanId);
  if (entry === undefined) {
    if (summary.spans.size >= MAX_SUMMARY_SPANS) {
      summary.capped = true;
      if (rec.marker === "closed") summary.extraSpans++;
      return null;
    }
    entry = {
      parentId: own(rec.parentId),
      name: own(rec.spanName),
      label: rec.label,
      startUs: Number.NaN,
      endUs: Number.NaN,
      opened: false,
      closed: false,
      method: "",
      uri: "",
    };
    summary.spans.set(own(rec.spanId), entry);
  }
  return entry;
}

function widen(summary: TraceSummary, us: number): void {
  if (Number.isNaN(us)) return;
  if (!(summary.startUs <= us)) summary.startUs = us;
  if (!(summary.endUs >= us)) summary.endUs = us;
}

export class TraceSummaries {
  readonly traces = new Map<string, TraceSummary>();

  add(rec: LogRecord): void {
    if (rec.traceId === "" || rec.spanId === "") return;
    let summary = this.traces.get(rec.traceId);
    if (summary === undefined) {
      summary = {
        traceId: own(rec.traceId),
        requestId: "",
        startUs: Number.NaN,
        endUs: Number.NaN,
        spans: new Map(),
        extraSpans: 0,
        capped: false,
        warnings: 0,
        errors: 0,
      };
      this.traces.set(summary.traceId, summary);
    }
    if (summary.requestId === "" && rec.requestId !== "") summary.requestId = own(rec.requestId);
    if (rec.marker === null) {
      if (rec.level <= WARN) {
        if (rec.level === WARN) summary.warnings++;
        else summary.errors++;
      }
      widen(summary, rec.timeUs);
      return;
    }
    const entry = spanEntry(summary, rec);
    if (entry === null) {
      widen(summary, rec.timeUs);
      return;
    }
    if (entry.parentId === "") entry.parentId = own(rec.parentId);
    // Only a root's method and uri are shown; looking them up builds every field of the record.
    if (rec.parentId === "" && entry.uri === "") {
      entry.method = own(lookupValue(rec, "method") ?? "");
      entry.uri = own(lookupValue(rec, "uri") ?? "");
    }
    if (rec.marker === "closed") {
      entry.closed = true;
      entry.endUs = rec.timeUs;
      if (!entry.opened && !Number.isNaN(rec.durationUs))
        entry.startUs = rec.timeUs - rec.durationUs;
    } else {
      entry.opened = true;
      entry.startUs = rec.timeUs;
    }
    widen(summary, entry.startUs);
    widen(summary, rec.timeUs);
  }

  /** One row per trace; `serviceOf` names a source label. */
  rows(serviceOf: (label: string) => string): TraceRow[] {
    const rows: TraceRow[] = [];
    for (const s of this.traces.values()) {
      let root: SpanEntry | null = null;
      const services = new Set<string>();
      let open = false;
      for (const [, span] of s.spans) {
        const isRoot = span.parentId === "" || !s.spans.has(span.parentId);
        if (isRoot && (root === null || span.startUs < root.startUs)) root = span;
        services.add(serviceOf(span.label));
        if (span.opened && !span.closed) open = true;
      }
      rows.push({
        traceId: s.traceId,
        requestId: s.requestId,
        startUs: s.startUs,
        durationUs: s.endUs - s.startUs,
        spanCount: s.spans.size + s.extraSpans,
        spansCapped: s.capped,
        services: [...services],
        root: root?.name ?? "",
        method: root?.method ?? "",
        uri: root?.uri ?? "",
        warnings: s.warnings,
        errors: s.errors,
        open,
      });
    }
    return rows;
  }
}

export interface SpanStats {
  service: string;
  name: string;
  count: number;
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
  label: string;
  name: string;
  durations: number[];
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

export class SpanStatistics {
  private readonly buckets = new Map<string, StatsBucket>();

  add(rec: LogRecord): void {
    if (rec.marker !== "closed") return;
    const duration = Number.isNaN(rec.durationUs) ? rec.busyUs + rec.idleUs : rec.durationUs;
    if (Number.isNaN(duration)) return;
    const key = `${rec.label}\u0000${rec.spanName}`;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = {
        label: rec.label,
        name: rec.spanName,
        durations: [],
        busySum: 0,
        busyCount: 0,
        idleSum: 0,
        idleCount: 0,
      };
      this.buckets.set(key, bucket);
    }
    bucket.durations.push(duration);
    if (!Number.isNaN(rec.busyUs)) {
      bucket.busySum += rec.busyUs;
      bucket.busyCount++;
    }
    if (!Number.isNaN(rec.idleUs)) {
      bucket.idleSum += rec.idleUs;
      bucket.idleCount++;
    }
  }

  /** Per service and span name; buckets of labels announcing the same service are merged. */
  rows(serviceOf: (label: string) => string): SpanStats[] {
    const merged = new Map<string, StatsBucket & { service: string }>();
    for (const b of this.buckets.values()) {
      const service = serviceOf(b.label);
      const key = `${service}\u0000${b.name}`;
      const m = merged.get(key);
      if (m === undefined) merged.set(key, { ...b, service, durations: [...b.durations] });
      else {
        for (const d of b.durations) m.durations.push(d);
        m.busySum += b.busySum;
        m.busyCount += b.busyCount;
        m.idleSum += b.idleSum;
        m.idleCount += b.idleCount;
      }
    }
    return [...merged.values()].map((b) => {
      const sorted = Float64Array.from(b.durations).sort();
      const values = Array.from(sorted);
      return {
        service: b.service,
        name: b.name,
        count: values.length,
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
}
