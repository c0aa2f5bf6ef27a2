/**
 * `dynlog traces` and `dynlog stats`: the inputs summarised by the span model (see summarize.ts;
 * `stats` on worker threads where that pays, see stats-shared.ts), shown as a list or a table.
 *
 * Receives: a run configuration and view options. Emits: a table or JSON; the exit status.
 */
import type { RunConfig } from "../config/run-config.js";
import { readRangeSync } from "../input/inputs.js";
import { workerThreads } from "../input/worker-pool.js";
import type { Source } from "../model/record.js";
import { OutputWriter } from "../output/writer.js";
import { rangeableSize } from "../parse/record-stream.js";
import { renderBoxTable } from "../render/box-table.js";
import { formatDuration } from "../render/durations.js";
import { jsonChunks, stringifyJson } from "../render/json-text.js";
import { themeFor } from "../render/theme.js";
import { utcOrNull } from "../render/time-zone.js";
import { tracesListLines } from "../render/traces-list.js";
import type { Summary, TraceRow } from "../trace/summaries.js";
import type { Io } from "./io.js";
import { CLOSES, MARKERS, PROBLEMS, readInputs, type ScanOutcome, summarize } from "./summarize.js";

/** Says on stderr why no spans were found, or that spans were inferred (and what that means). */
export function explainSpans(summaries: Summary, outcome: ScanOutcome, io: Io): void {
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

/** Bytes at the start of an input looked at for span events (Dynamo writes them from the first
 *  request on). */
const SNIFF_BYTES = 1024 * 1024;

/**
 * Worker threads for `stats` to summarise the inputs in shares: when they are large plain files
 * whose start shows no span event (Dynamo's default), or a filter reads every record of a trace.
 * Every worker reads every byte, which pays only when parsing is most of the work: over 690 MB
 * without span events, `stats` took 5.7 s on two workers against 6.4 s on one thread (from no
 * gain to 28 % over an hour, with the machine's load). Where spans have events, a third of the
 * lines are parsed, and `traces` keeps every trace's row (88 000 of them sent back and merged):
 * there two workers were no faster than one thread (see the README).
 */
function sharedThreads(config: RunConfig, inputs: readonly Source[]): number {
  const sizes = inputs.map(rangeableSize);
  if (inputs.length === 0 || sizes.some((size) => size === null)) return 0;
  const threads = workerThreads(sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0));
  if (threads < 2) return 0;
  if (config.filter.active) return threads;
  const marker = MARKERS[0] as Buffer;
  let events = false;
  try {
    for (const source of inputs) {
      readRangeSync(source.path, 0, SNIFF_BYTES, false, (chunk) => {
        events ||= chunk.includes(marker);
      });
    }
  } catch {
    // An input that cannot be read now is read (and reported) on this thread.
    return 0;
  }
  return events ? 0 : threads;
}

/** The statistics of every selected trace, in shares on worker threads when they pay. */
async function statisticsOf(
  config: RunConfig,
  io: Io,
): Promise<{ summaries: Summary; outcome: ScanOutcome }> {
  const inputs = readInputs(config, io);
  const threads = sharedThreads(config, inputs.ok);
  if (threads < 2) return await summarize(config, inputs, CLOSES, { rows: false });
  const { statisticsShared } = await import("./stats-shared.js");
  return await statisticsShared(config, inputs, CLOSES, threads);
}

export async function runTraces(
  options: TracesOptions,
  config: RunConfig,
  io: Io,
): Promise<number> {
  const { summaries, outcome } = await summarize(config, readInputs(config, io), [
    ...MARKERS,
    ...PROBLEMS,
  ]);
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
  const { summaries, outcome } = await statisticsOf(config, io);
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
