/**
 * `dynlog traces` and `dynlog stats`: one pass over the inputs reading only span markers and
 * warning/error records (found in the raw bytes first), summarised as they stream by.
 *
 * Receives: a run configuration and view options. Emits: a table or JSON; the exit status.
 */
import type { RunConfig } from "../cli/resolve.js";
import type { LogRecord, Source } from "../model/record.js";
import { type ScanErrorHandler, scanSources } from "../parse/scan-sources.js";
import { formatDuration } from "../render/durations.js";
import { stringifyJson } from "../render/json-text.js";
import { renderTable } from "../render/tables.js";
import { themeFor } from "../render/theme.js";
import { utcOrNull } from "../render/time-zone.js";
import { ServiceMap } from "../trace/lookup.js";
import { SpanStatistics, TraceSummaries } from "../trace/summaries.js";
import { InputFailures, type Io } from "./io.js";
import { readableSources } from "./trace.js";

/** All three span markers in one pass: Dynamo writes `"message":"SPAN_CLOSED"` and the like. */
const MARKERS = [Buffer.from('"message":"SPAN_')];
/** `stats` reads closed spans only: half the markers, half the parsing. */
const CLOSES = [Buffer.from('"message":"SPAN_CLOSED"')];
const PROBLEMS = [Buffer.from('"level":"WARN"'), Buffer.from('"level":"ERROR"')];

async function scanAll(
  sources: Source[],
  needles: Buffer[],
  config: RunConfig,
  services: ServiceMap,
  onError: ScanErrorHandler,
  visit: (rec: LogRecord) => void,
): Promise<void> {
  const options = { workers: null };
  for await (const batch of scanSources(sources, needles, onError, options)) {
    for (const rec of batch) {
      if (services.learn(rec)) continue;
      if (config.filter.keep(rec)) visit(rec);
    }
  }
}

/** Scans every readable input for `needles`; returns the failures and the services learned. */
async function scanInputs(
  config: RunConfig,
  io: Io,
  needles: Buffer[],
  visit: (rec: LogRecord) => void,
): Promise<{ failures: InputFailures; services: ServiceMap }> {
  const failures = new InputFailures(io);
  const ok = readableSources(config.sources, failures);
  const services = new ServiceMap(config.sources);
  await scanAll(ok, needles, config, services, failures.report, visit);
  return { failures, services };
}

export interface TracesOptions {
  sort: "start" | "duration";
  limit: number | undefined;
  format: "table" | "json";
}

export async function runTraces(
  options: TracesOptions,
  config: RunConfig,
  io: Io,
): Promise<number> {
  const summaries = new TraceSummaries();
  const { failures, services } = await scanInputs(config, io, [...MARKERS, ...PROBLEMS], (r) =>
    summaries.add(r),
  );
  let rows = summaries.rows(services.serviceOf);
  rows.sort(
    options.sort === "duration"
      ? (a, b) => b.durationUs - a.durationUs
      : (a, b) => a.startUs - b.startUs,
  );
  if (options.limit !== undefined) rows = rows.slice(0, options.limit);
  if (options.format === "json") {
    const json = rows.map((r) => ({
      trace_id: r.traceId,
      x_request_id: r.requestId === "" ? null : r.requestId,
      start: utcOrNull(r.startUs),
      duration_us: r.durationUs,
      span_count: r.spanCount,
      span_count_capped: r.spansCapped,
      services: r.services,
      root: r.root,
      method: r.method === "" ? null : r.method,
      uri: r.uri === "" ? null : r.uri,
      warnings: r.warnings,
      errors: r.errors,
      open: r.open,
    }));
    io.stdout.write(`${stringifyJson(json)}\n`);
  } else {
    const table = renderTable(
      [
        { head: "START" },
        { head: "TRACE" },
        { head: "REQUEST", max: 36 },
        { head: "ROOT", max: 48 },
        { head: "DURATION", align: "right" },
        { head: "SPANS", align: "right" },
        { head: "SERVICES", max: 40 },
        { head: "WARN/ERR", align: "right" },
        { head: "OPEN" },
      ],
      rows.map((r) => [
        config.formatUs(r.startUs),
        r.traceId,
        r.requestId || "-",
        [r.root, r.method, r.uri].filter((s) => s !== "").join(" "),
        formatDuration(r.durationUs),
        r.spansCapped ? `${r.spanCount}+` : String(r.spanCount),
        r.services.join(", "),
        `${r.warnings}/${r.errors}`,
        r.open ? "open" : "",
      ]),
      themeFor(config.color),
    );
    io.stdout.write(`${table}\n${rows.length} trace${rows.length === 1 ? "" : "s"}\n`);
  }
  return failures.count > 0 ? 1 : 0;
}

export async function runStats(
  format: "table" | "json",
  config: RunConfig,
  io: Io,
): Promise<number> {
  const stats = new SpanStatistics();
  const { failures, services } = await scanInputs(config, io, CLOSES, (r) => stats.add(r));
  const rows = stats
    .rows(services.serviceOf)
    .sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
  if (format === "json") {
    const json = rows.map((r) => ({
      service: r.service,
      name: r.name,
      count: r.count,
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
    const table = renderTable(
      [
        { head: "SERVICE" },
        { head: "SPAN" },
        { head: "COUNT", align: right },
        { head: "P50", align: right },
        { head: "P90", align: right },
        { head: "P99", align: right },
        { head: "MAX", align: right },
        { head: "BUSY MEAN", align: right },
        { head: "IDLE MEAN", align: right },
      ],
      rows.map((r) => [
        r.service,
        r.name,
        String(r.count),
        formatDuration(r.p50Us),
        formatDuration(r.p90Us),
        formatDuration(r.p99Us),
        formatDuration(r.maxUs),
        formatDuration(r.busyMeanUs),
        formatDuration(r.idleMeanUs),
      ]),
      themeFor(config.color),
    );
    io.stdout.write(`${table}\n`);
  }
  return failures.count > 0 ? 1 : 0;
}
