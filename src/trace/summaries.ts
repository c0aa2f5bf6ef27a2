/**
 * Summaries for `traces` and `stats`: compact span states of the span model (no records kept),
 * per trace; at the end each trace is linked by the model and projected to a row (`traces`), and
 * every span into per (service, span name) duration buckets (`stats`). A filter selects traces by
 * their records; a selected trace is always summarised whole. Statistics alone without a filter
 * need no trace: the model hands each span over as it closes, it goes into its bucket at once and
 * is forgotten, and only open (or inferred) spans wait for the end.
 *
 * Receives: records (any order between inputs, input order within one). Emits: rows and
 * statistics when asked.
 */
import type { LogRecord } from "../model/record.js";
import { own } from "../model/strings.js";
import type { TraceShare } from "./share.js";
import type { Span, Trace } from "./span.js";
import {
  type RecordService,
  SpanPairer,
  type SpanState,
  spanDurationUs,
  stateDurationUs,
  stateInferred,
  type TraceInstances,
  traceOfStates,
} from "./span-model.js";

/**
 * Span instances remembered per trace (a few hundred bytes each). Past this, a trace's further
 * spans are only counted by their SPAN_CLOSED: its row says so, and statistics still take each
 * one (a duration, 8 bytes, as for every span). One hostile trace cannot take the memory of all
 * the others.
 */
export const MAX_SUMMARY_SPANS = 10_000;

const NO_STATES: SpanState[] = [];
/** Lent to a pairer that hands every instance over as it closes: it stays empty. */
const NO_INSTANCES: TraceInstances = new Map();

interface TraceEntry {
  traceId: string;
  requestId: string;
  /** Its span instances being paired (when statistics stream: those not closed yet, null for
   *  none so far). */
  instances: TraceInstances | null;
  /** Its span instances in the order they started (null when statistics stream). */
  states: SpanState[] | null;
  /** Span instances started (past MAX_SUMMARY_SPANS only by streamed closes). */
  spans: number;
  /** Spans past MAX_SUMMARY_SPANS, counted by their closes. */
  extraSpans: number;
  capped: boolean;
  /** Whether a record of the trace passed the filter (always, without one). */
  selected: boolean;
  /** Statistics only, with a filter: the spans closed past MAX_SUMMARY_SPANS (null: none). */
  overflow: SpanStatistics | null;
}

/** The entry a streamed close is admitted against: nothing is remembered, nothing capped. */
const UNCAPPED: TraceEntry = {
  traceId: "",
  requestId: "",
  instances: null,
  states: null,
  spans: 0,
  extraSpans: 0,
  capped: false,
  selected: true,
  overflow: null,
};

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

/**
 * `list` with `state` appended: copied while short (`push` reserves 16 more slots, most of the
 * memory of a trace's list of three spans), pushed to once long.
 */
function grown(list: SpanState[], state: SpanState): SpanState[] {
  if (list.length >= 16) {
    list.push(state);
    return list;
  }
  const out = new Array<SpanState>(list.length + 1);
  for (let i = 0; i < list.length; i++) out[i] = list[i] as SpanState;
  out[list.length] = state;
  return out;
}

export interface SummaryOptions {
  /** Only traces with a record this accepts are summarised (whole); default: every trace. */
  select?: ((rec: LogRecord) => boolean) | null;
  /**
   * Rows are wanted (default true): every trace's spans are kept to the end, and the roots'
   * method and uri. False: statistics only (closed spans stream into them without a filter).
   */
  rows?: boolean;
  /** Only the traces of this share (a worker thread's part of the traces). */
  share?: TraceShare | null;
}

/** What `stats` shows (and `explainSpans` tells), whichever thread summarised it. */
export interface Summary {
  statistics(): SpanStats[];
  spanCounts(): { spans: number; inferred: number };
}

export class TraceSummaries implements Summary {
  private readonly traces = new Map<string, TraceEntry>();
  private readonly pairer: SpanPairer;
  private readonly select: ((rec: LogRecord) => boolean) | null;
  private readonly keepRows: boolean;
  /** Statistics of the spans handed over as they closed (statistics only, no filter). */
  private readonly streamed: SpanStatistics | null;
  /** The entry of the record being added (what `admit` counts against). */
  private entry: TraceEntry | null = null;
  /**
   * Statistics only, with a filter: pairs the closes of traces past MAX_SUMMARY_SPANS into
   * their entry's `overflow`, as streamed statistics would take them.
   */
  private readonly overflow: SpanPairer | null;
  /** An empty map lent to the pairer for a trace without instances (statistics streaming):
   *  most traces' spans close as they start, and need none. */
  private spare: TraceInstances = new Map();
  private finished = false;
  private readonly share: TraceShare | null;

  constructor(service: RecordService, options: SummaryOptions = {}) {
    this.select = options.select ?? null;
    this.share = options.share ?? null;
    this.keepRows = options.rows ?? true;
    const streamed = !this.keepRows && this.select === null ? new SpanStatistics() : null;
    this.streamed = streamed;
    this.pairer = new SpanPairer({
      service,
      admit: (rec) => this.admit(rec),
      rootAttributes: this.keepRows,
      closed: streamed === null ? undefined : (state) => streamed.addState(state),
    });
    this.overflow =
      this.keepRows || streamed !== null
        ? null
        : new SpanPairer({
            service,
            rootAttributes: false,
            closed: (state) => {
              const entry = this.entry as TraceEntry;
              entry.overflow ??= new SpanStatistics();
              entry.overflow.addState(state);
            },
          });
  }

  private admit(rec: LogRecord): boolean {
    const entry = this.entry as TraceEntry;
    if (entry.spans < MAX_SUMMARY_SPANS) return true;
    const closes = rec.marker === "closed";
    // A streamed close is handed over at once, not remembered: not capped.
    if (closes && this.streamed !== null) return true;
    entry.capped = true;
    if (closes) {
      entry.extraSpans++;
      this.overflow?.addTo(NO_INSTANCES, null, rec);
    }
    return false;
  }

  add(rec: LogRecord): void {
    if (rec.traceId === "" || (this.share !== null && !this.share.mine(rec.traceId))) return;
    // Statistics streaming, while no trace has a span waiting (the closes of a log with span
    // events): a close is counted at once, with no entry for its trace (looking each trace up
    // took a third of the main thread's time of `stats` over 1 GB).
    if (this.streamed !== null && this.traces.size === 0 && rec.marker === "closed") {
      this.entry = UNCAPPED;
      this.pairer.addTo(this.spare, null, rec);
      return;
    }
    let entry = this.traces.get(rec.traceId);
    if (entry === undefined) {
      entry = {
        traceId: own(rec.traceId),
        requestId: "",
        instances: this.streamed === null ? new Map() : null,
        states: this.streamed === null ? NO_STATES : null,
        spans: 0,
        extraSpans: 0,
        capped: false,
        selected: this.select === null,
        overflow: null,
      };
      this.traces.set(entry.traceId, entry);
    }
    if (!entry.selected && (this.select as (rec: LogRecord) => boolean)(rec)) entry.selected = true;
    if (this.keepRows && entry.requestId === "" && rec.requestId !== "")
      entry.requestId = own(rec.requestId);
    if (rec.spanId === "") return;
    this.entry = entry;
    const instances = entry.instances ?? this.spare;
    const started = this.pairer.started;
    const state = this.pairer.addTo(instances, entry.traceId, rec);
    if (instances === this.spare && instances.size > 0) {
      entry.instances = instances;
      this.spare = new Map();
    }
    if (this.pairer.started === started) return;
    entry.spans++;
    if (state !== null && entry.states !== null) entry.states = grown(entry.states, state);
  }

  /** The instances of a trace still paired (or kept). */
  private static instancesOf(entry: TraceEntry): Iterable<SpanState> {
    return entry.instances === null ? [] : entry.instances.values();
  }

  /** Span instances seen, and of those the ones without any span marker (to be inferred). */
  spanCounts(): { spans: number; inferred: number } {
    let inferred = 0;
    // A state with a marker may have left its trace's instances; one without never does.
    for (const entry of this.traces.values())
      for (const s of TraceSummaries.instancesOf(entry)) if (stateInferred(s)) inferred++;
    return { spans: this.pairer.started + (this.overflow?.started ?? 0), inferred };
  }

  /** The selected traces, linked by the span model, one at a time. */
  *selected(): Generator<{ trace: Trace; entry: TraceEntry }> {
    if (!this.keepRows) throw new Error("TraceSummaries: rows were not kept");
    for (const entry of this.traces.values()) {
      const states = entry.states as SpanState[];
      if (!entry.selected || states.length === 0) continue;
      yield { trace: traceOfStates(entry.traceId, entry.requestId, states, false), entry };
    }
  }

  /** One row per selected trace. */
  rows(): TraceRow[] {
    const rows: TraceRow[] = [];
    for (const { trace, entry } of this.selected())
      rows.push(traceRow(trace, entry.capped, entry.extraSpans));
    return rows;
  }

  /** Per (service, span name) statistics of the spans of the selected traces (asked once). */
  statistics(): SpanStats[] {
    return this.spanStatistics().rows();
  }

  /** The same, still open to more (another share's); asked once. */
  spanStatistics(): SpanStatistics {
    if (this.finished) throw new Error("TraceSummaries: statistics were asked already");
    this.finished = true;
    const stats = this.streamed ?? new SpanStatistics();
    for (const entry of this.traces.values()) {
      if (!entry.selected) continue;
      for (const s of entry.states ?? TraceSummaries.instancesOf(entry)) stats.addState(s);
      if (entry.overflow !== null) stats.absorb(entry.overflow.all);
    }
    return stats;
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

/** One (service, span name)'s durations and sums, as plain data (a worker thread sends them). */
export interface StatsBucket {
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

/**
 * Per (service, span name) durations of spans that have one (closed, or inferred from their
 * records), taken one at a time: as finished spans, or as the span model's states (the same
 * figures, without building the span).
 */
export class SpanStatistics {
  private readonly byService = new Map<string, Map<string, StatsBucket>>();
  /** The buckets in the order they were made. */
  private readonly buckets: StatsBucket[] = [];

  addSpan(span: Span): void {
    const inferred = span.flags.has("inferred");
    if (!span.closed && !inferred) return;
    const busy = span.busyUs ?? Number.NaN;
    const idle = span.idleUs ?? Number.NaN;
    this.take(span.service, span.name, inferred, spanDurationUs(span), busy, idle);
  }

  addState(state: SpanState): void {
    const inferred = stateInferred(state);
    if (!state.hasClose && !inferred) return;
    const duration = stateDurationUs(state);
    this.take(state.service, state.name, inferred, duration, state.busyUs, state.idleUs);
  }

  /** The buckets so far, as plain data. */
  get all(): readonly StatsBucket[] {
    return this.buckets;
  }

  /** Takes in the buckets of another share of the traces. */
  absorb(buckets: readonly StatsBucket[]): void {
    for (const other of buckets) {
      const b = this.bucket(other.service, other.name);
      for (const d of other.durations) b.durations.push(d);
      b.inferred += other.inferred;
      b.busySum += other.busySum;
      b.busyCount += other.busyCount;
      b.idleSum += other.idleSum;
      b.idleCount += other.idleCount;
    }
  }

  private bucket(service: string, name: string): StatsBucket {
    let names = this.byService.get(service);
    if (names === undefined) {
      names = new Map();
      this.byService.set(own(service), names);
    }
    let b = names.get(name);
    if (b === undefined) {
      b = {
        service: own(service),
        name: own(name),
        durations: [],
        inferred: 0,
        busySum: 0,
        busyCount: 0,
        idleSum: 0,
        idleCount: 0,
      };
      names.set(b.name, b);
      this.buckets.push(b);
    }
    return b;
  }

  private take(
    service: string,
    name: string,
    inferred: boolean,
    durationUs: number,
    busyUs: number,
    idleUs: number,
  ): void {
    if (Number.isNaN(durationUs)) return;
    const b = this.bucket(service, name);
    b.durations.push(durationUs);
    if (inferred) b.inferred++;
    if (!Number.isNaN(busyUs)) {
      b.busySum += busyUs;
      b.busyCount++;
    }
    if (!Number.isNaN(idleUs)) {
      b.idleSum += idleUs;
      b.idleCount++;
    }
  }

  rows(): SpanStats[] {
    return this.buckets.map((b) => {
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
}

/** Per (service, span name) durations of the given finished spans. */
export function spanStatistics(spans: Iterable<Span>): SpanStats[] {
  const stats = new SpanStatistics();
  for (const span of spans) stats.addSpan(span);
  return stats.rows();
}
