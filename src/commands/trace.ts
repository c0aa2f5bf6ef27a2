/**
 * `dynlog trace <id>`: finds one request across the inputs and prints its span tree as a
 * waterfall, a tree, or JSON; `--logs` adds each span's records, `--details` its attributes.
 *
 * Receives: the id, a run configuration and view options. Emits: the exit status (1 when nothing
 * matches, when a prefix is ambiguous, or when an input could not be read).
 */
import type { RunConfig } from "../config/run-config.js";
import type { LogRecord } from "../model/record.js";
import { OutputWriter } from "../output/writer.js";
import { renderBoxTable } from "../render/box-table.js";
import { formatDuration } from "../render/durations.js";
import { cutMiddle } from "../render/fit.js";
import { jsonChunks } from "../render/json-text.js";
import { clip } from "../render/terminal-safe.js";
import { themeFor } from "../render/theme.js";
import { traceJson } from "../render/trace-json.js";
import { renderWaterfall } from "../render/waterfall.js";
import { lookupTrace, MAX_TRACE_RECORDS, ServiceMap } from "../trace/lookup.js";
import type { Trace } from "../trace/span.js";
import { assembleTrace } from "../trace/span-model.js";
import { InputFailures, type Io, readableSources } from "./io.js";

export interface TraceOptions {
  id: string;
  format: "waterfall" | "tree" | "json" | "html";
  logs: boolean;
  details: boolean;
}

/** Candidates listed when an id is ambiguous; the rest are counted. */
const CANDIDATES_SHOWN = 20;

function describeCandidates(candidates: Map<string, LogRecord[]>, config: RunConfig): string[] {
  const shown = [...candidates.entries()].slice(0, CANDIDATES_SHOWN);
  const lines = shown.map(([traceId, records]) => {
    const first = records.reduce((a, b) => (b.timeUs < a.timeUs ? b : a));
    const request = records.find((r) => r.requestId !== "")?.requestId ?? "-";
    const when = Number.isNaN(first.timeUs) ? first.time : config.formatUs(first.timeUs);
    return `  ${clip(traceId, 64)}  ${clip(when, 40)}  ${clip(request, 64)}  ${clip(first.spanName, 64)}`;
  });
  const more = candidates.size - shown.length;
  if (more > 0) lines.push(`  … and ${more} more (give more of the id)`);
  return lines;
}

/** Each span's attributes as a table, span after span (made as they are written). */
function* details(trace: Trace, config: RunConfig): Generator<string> {
  const theme = themeFor(config.color);
  for (const span of trace.spans) {
    const rows: string[][] = [
      ["Service", span.service],
      ["Span ID", span.spanId],
      ["Parent ID", span.parentId === "" ? "(none)" : span.parentId],
      ["Start Time", config.formatUs(span.startUs)],
      [
        "Duration",
        span.closed
          ? formatDuration(span.durationUs)
          : `open (≥${formatDuration(span.endUs - span.startUs)})`,
      ],
      ["Busy Time", formatDuration(span.busyUs)],
      ["Idle Time", formatDuration(span.idleUs)],
      ["Child Count", String(span.children.length)],
      ["Target", span.target],
    ];
    for (const [key, value] of span.attributes) rows.push([key, value]);
    const title = `${clip(span.service, 40)} · ${clip(span.name, 100)}`;
    yield "";
    yield theme.header(config.wide ? title : cutMiddle(title, config.width));
    const columns = [
      { head: "Attribute", least: 12 },
      { head: "Value", least: 12 },
    ];
    yield renderBoxTable(columns, rows, theme, config);
  }
}

export async function runTrace(options: TraceOptions, config: RunConfig, io: Io): Promise<number> {
  if (/^[0-9a-fA-F]{1,5}$/.test(options.id)) {
    io.warn(
      `'${clip(options.id, 100)}': a trace id prefix needs at least 6 hex digits (a request id is matched whole)`,
    );
    return 2;
  }
  const failures = new InputFailures(io);
  const ok = readableSources(config.sources, failures);
  const services = new ServiceMap(config.sources);
  const result = await lookupTrace(options.id, ok, services, failures.report);
  if (result.kind === "none") {
    io.warn(`no trace matches '${clip(options.id, 100)}'`);
    return 1;
  }
  if (result.kind === "ambiguous") {
    io.warn(`'${clip(options.id, 100)}' matches ${result.candidates.size} traces:`);
    for (const line of describeCandidates(result.candidates, config)) io.warn(line);
    return 1;
  }
  if (result.truncated) {
    io.warn(
      `warning: trace ${clip(result.traceId, 64)} has more than ${MAX_TRACE_RECORDS} records; later ones are left out`,
    );
  }
  // The trace is assembled whole; a filter selects which of its records `--logs` lists.
  const trace = assembleTrace(result.traceId, result.records, services.ofRecord);
  if (options.format === "html") {
    const { writeTraceHtml } = await import("./report.js");
    writeTraceHtml(trace, config, io);
    return failures.count > 0 ? 1 : 0;
  }
  if (config.filter.active) {
    for (const span of trace.spans)
      span.records = span.records.filter((r) => config.filter.keep(r));
  }
  const theme = themeFor(config.color);
  const writer = new OutputWriter(io.stdout);
  if (options.format === "json") {
    await writer.writeEach(jsonChunks(traceJson(trace, options.logs)), "");
    writer.write("\n");
  } else {
    const bars = options.format === "waterfall";
    const view = { width: config.width, bars, logs: options.logs, wide: config.wide };
    await writer.writeEach(renderWaterfall(trace, theme, config.formatUs, view));
    if (options.details) await writer.writeEach(details(trace, config));
  }
  await writer.end();
  return failures.count > 0 ? 1 : 0;
}
