/**
 * `dynlog traces` and `dynlog stats`: one pass over the inputs reading only the lines that matter
 * (found in the raw bytes first), summarised by the span model as they stream by. An input with
 * no span events (Dynamo's default) is read again for every record with a span id, whose spans
 * are then inferred; an input that can be read only once is read that way at once. With a
 * filter, every record of a trace is read, so the filter can select traces by any record.
 *
 * Receives: a run configuration and view options. Emits: a table or JSON; the exit status.
 */
import type { RunConfig } from "../config/run-config.js";
import { readsOnce } from "../input/inputs.js";
import type { LogRecord } from "../model/record.js";
import { OutputWriter } from "../output/writer.js";
import { renderBoxTable } from "../render/box-table.js";
import { formatDuration } from "../render/durations.js";
import { jsonChunks, stringifyJson } from "../render/json-text.js";
import { themeFor } from "../render/theme.js";
import { utcOrNull } from "../render/time-zone.js";
import { tracesListLines } from "../render/traces-list.js";
import { ServiceMap, scanRecords, TRACE_RECORDS } from "../trace/lookup.js";
import { type TraceRow, TraceSummaries } from "../trace/summaries.js";
import { InputFailures, type Io, readableSources } from "./io.js";

/** All three span markers in one pass: Dynamo writes `"message":"SPAN_CLOSED"` and the like. */
export const MARKERS = [Buffer.from('"message":"SPAN_')];
/** `stats` reads closed spans only: half the markers, half the parsing. */
const CLOSES = [Buffer.from('"message":"SPAN_CLOSED"')];
export const PROBLEMS = [Buffer.from('"level":"WARN"'), Buffer.from('"level":"ERROR"')];
/** Every record inside a span: what spans are inferred from when there are no span events. */
const SPAN_RECORDS = [Buffer.from('"span_id":"')];
/**
 * Records of an input held back until its first span marker shows it has span events; past
 * this many, the input is taken as one without and read again whole.
 */
const HELD_MAX = 10_000;

/** What a pass over the inputs found out about span events. */
export interface ScanOutcome {
  failures: InputFailures;
  /** Inputs whose spans were inferred (no span events in them). */
  inferredInputs: number;
  inputs: number;
}

/** An input's first pass: records held until a span marker shows it has span events. */
interface Probe {
  marked: boolean;
  held: LogRecord[];
  overflow: boolean;
}

/**
 * Reads the span records of every readable input into `visit`: lines with `needles` (which must
 * find every span marker it needs), and for an input without span events every record with a
 * span id. Records of one input reach `visit` in input order.
 */
async function scanSpans(
  config: RunConfig,
  io: Io,
  needles: Buffer[],
  services: ServiceMap,
  visit: (rec: LogRecord) => void,
): Promise<ScanOutcome> {
  const failures = new InputFailures(io);
  const ok = readableSources(config.sources, failures);
  const onError = failures.report;
  if (config.filter.active) {
    await scanRecords(ok, TRACE_RECORDS, services, onError, visit);
    return { failures, inferredInputs: 0, inputs: ok.length };
  }
  const probes = new Map<number, Probe>();
  const twice = ok.filter((s) => !readsOnce(s));
  for (const s of twice) probes.set(s.index, { marked: false, held: [], overflow: false });
  await scanRecords(twice, needles, services, onError, (rec) => {
    const probe = probes.get(rec.source.index) as Probe;
    if (probe.marked) visit(rec);
    else if (rec.marker !== null) {
      probe.marked = true;
      for (const held of probe.held) visit(held);
      probe.held = [];
      visit(rec);
    } else if (!probe.overflow) {
      probe.held.push(rec);
      if (probe.held.length > HELD_MAX) {
        probe.overflow = true;
        probe.held = [];
      }
    }
  });
  const again = twice.filter((s) => !(probes.get(s.index) as Probe).marked);
  await scanRecords(again, SPAN_RECORDS, services, onError, visit);
  const once = ok.filter(readsOnce);
  await scanRecords(once, SPAN_RECORDS, services, onError, visit);
  return { failures, inferredInputs: again.length + once.length, inputs: ok.length };
}

/** Says on stderr why no spans were found, or that spans were inferred (and what that means). */
export function explainSpans(summaries: TraceSummaries, outcome: ScanOutcome, io: Io): void {
  const { spans, inferred } = summaries.spanCounts();
  if (outcome.inputs === 0) return;
  if (spans === 0) {
    io.warn(
      "no spans: no record carries a span_id (Dynamo writes trace context only when tracing is on: DYN_LOGGING_JSONL=1 with OTLP export or DYN_LOGGING_SPAN_EVENTS=1)",
    );
    return;
  }
  if (inferred === 0) return;
  const all = inferred === spans;
  io.warn(
    `${all ? "no span events (SPAN_CREATED/SPAN_CLOSED) in the inputs" : "some spans have no span events"}: Dynamo writes them only with DYN_LOGGING_SPAN_EVENTS=1; ${inferred} of ${spans} span${spans === 1 ? " was" : "s were"} inferred from their records (first to last record: durations are lower bounds, marked ≥)`,
  );
}

export interface TraceSelection {
  /** Only traces with an ERROR record. */
  errors: boolean;
  /** Only traces with a span never closed. */
  open: boolean;
  /** Only requests at least this long (µs). */
  minDurationUs: number | null;
  /** Only traces with a span of this service. */
  service: string | null;
}

export const SELECT_ALL: TraceSelection = {
  errors: false,
  open: false,
  minDurationUs: null,
  service: null,
};

export interface TracesOptions {
  sort: "start" | "duration";
  limit: number | undefined;
  format: "table" | "json";
  select?: TraceSelection;
}

function selected(row: TraceRow, select: TraceSelection): boolean {
  if (select.errors && row.errors === 0) return false;
  if (select.open && !row.open) return false;
  if (select.minDurationUs !== null && !(row.durationUs >= select.minDurationUs)) return false;
  if (select.service !== null && !row.services.includes(select.service)) return false;
  return true;
}

/** The summaries of every trace the filter selects (each summarised whole). */
export async function summarize(
  config: RunConfig,
  io: Io,
  needles: Buffer[],
  rows = true,
): Promise<{ summaries: TraceSummaries; outcome: ScanOutcome }> {
  const services = new ServiceMap(config.sources);
  const select = config.filter.active ? (rec: LogRecord) => config.filter.keep(rec) : null;
  const summaries = new TraceSummaries(services.ofRecord, { select, rows });
  const outcome = await scanSpans(config, io, needles, services, (rec) => summaries.add(rec));
  return { summaries, outcome };
}

export async function runTraces(
  options: TracesOptions,
  config: RunConfig,
  io: Io,
): Promise<number> {
  const { summaries, outcome } = await summarize(config, io, [...MARKERS, ...PROBLEMS]);
  const select = options.select ?? SELECT_ALL;
  const all = summaries.rows();
  let rows = all.filter((r) => selected(r, select));
  explainSpans(summaries, outcome, io);
  if (all.length > 0 && rows.length === 0) io.warn(`none of ${all.length} traces is selected`);
  rows.sort(
    options.sort === "duration"
      ? (a, b) => b.durationUs - a.durationUs
      : (a, b) => a.startUs - b.startUs,
  );
  const found = rows.length;
  if (options.limit !== undefined) rows = rows.slice(0, options.limit);
  if (options.format === "json") {
    const json = rows.map((r) => ({
      trace_id: r.traceId,
      x_request_id: r.requestId === "" ? null : r.requestId,
      start: utcOrNull(r.startUs),
      duration_us: Number.isFinite(r.durationUs) ? r.durationUs : null,
      duration_is_lower_bound: r.durationLowerBound,
      span_count: r.spanCount,
      span_count_capped: r.spansCapped,
      services: r.services,
      root: r.root,
      method: r.method === "" ? null : r.method,
      uri: r.uri === "" ? null : r.uri,
      warnings: r.warnings,
      errors: r.errors,
      open: r.open,
      open_spans: r.openSpans,
      inferred: r.inferredSpans > 0,
      inferred_spans: r.inferredSpans,
      span_names: Object.fromEntries(r.spanNames),
    }));
    const writer = new OutputWriter(io.stdout);
    await writer.writeEach(jsonChunks(json), "");
    writer.write("\n");
    await writer.end();
  } else if (rows.length > 0) {
    const writer = new OutputWriter(io.stdout);
    const view = { width: config.width, wide: config.wide, theme: themeFor(config.color) };
    await writer.writeEach(tracesListLines(rows, { ...view, formatUs: config.formatUs }));
    await writer.end();
    if (rows.length < found) io.warn(`${rows.length} of ${found} traces shown (--limit)`);
  }
  return outcome.failures.count > 0 ? 1 : 0;
}

export async function runStats(
  format: "table" | "json",
  config: RunConfig,
  io: Io,
): Promise<number> {
  const { summaries, outcome } = await summarize(config, io, CLOSES, false);
  const rows = summaries
    .statistics()
    .sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
  explainSpans(summaries, outcome, io);
  if (format === "json") {
    const json = rows.map((r) => ({
      service: r.service,
      name: r.name,
      count: r.count,
      inferred: r.inferred,
      durations_are_lower_bounds: r.inferred > 0,
      p50_us: r.p50Us,
      p90_us: r.p90Us,
      p99_us: r.p99Us,
      max_us: r.maxUs,
      busy_mean_us: r.busyMeanUs,
      idle_mean_us: r.idleMeanUs,
    }));
    io.stdout.write(`${stringifyJson(json)}\n`);
  } else {
    const right = "right" as const;
    const duration = { align: right, priority: 1, least: 8 };
    const table = renderBoxTable(
      [
        { head: "SERVICE", cut: "middle", least: 8, want: 12 },
        { head: "SPAN", cut: "middle", least: 12 },
        { head: "COUNT", align: right },
        { head: "P50", ...duration },
        { head: "P90", ...duration, priority: 3 },
        { head: "P99", ...duration, priority: 2 },
        { head: "MAX", ...duration },
        { head: "BUSY MEAN", ...duration, priority: 4 },
        { head: "IDLE MEAN", ...duration, priority: 4 },
      ],
      rows.map((r) => [
        r.service,
        r.name,
        String(r.count),
        bounded(r.p50Us, r.inferred),
        bounded(r.p90Us, r.inferred),
        bounded(r.p99Us, r.inferred),
        bounded(r.maxUs, r.inferred),
        formatDuration(r.busyMeanUs),
        formatDuration(r.idleMeanUs),
      ]),
      themeFor(config.color),
      config,
    );
    io.stdout.write(`${table}\n`);
  }
  return outcome.failures.count > 0 ? 1 : 0;
}

/** A duration; marked as a lower bound (≥) when inferred spans went into it. */
function bounded(us: number, inferred: number): string {
  return `${inferred > 0 ? "≥" : ""}${formatDuration(us)}`;
}
