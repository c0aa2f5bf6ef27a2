/**
 * `dynlog trace <id>`: finds one request across the inputs and prints its span tree as a
 * waterfall, a tree, or JSON; `--logs` adds each span's records, `--details` its attributes.
 *
 * Receives: the id, a run configuration and view options. Emits: the exit status (1 when nothing
 * matches, when a prefix is ambiguous, or when an input could not be read).
 */
import type { RunConfig } from "../cli/resolve.js";
import { checkInput } from "../input/inputs.js";
import { type LogRecord, type Source, serviceOf } from "../model/record.js";
import { formatDuration } from "../render/durations.js";
import { stringifyJson } from "../render/json-text.js";
import { renderTable } from "../render/tables.js";
import { clip } from "../render/terminal-safe.js";
import { themeFor } from "../render/theme.js";
import { traceJson } from "../render/trace-json.js";
import { renderWaterfall } from "../render/waterfall.js";
import { assembleTrace } from "../trace/assemble.js";
import { lookupTrace, MAX_TRACE_RECORDS, ServiceMap } from "../trace/lookup.js";
import type { Trace } from "../trace/span.js";
import { InputFailures, type Io } from "./io.js";

export interface TraceOptions {
  id: string;
  format: "waterfall" | "tree" | "json";
  logs: boolean;
  details: boolean;
}

/** The inputs that can be opened; the others are reported (and counted) through `failures`. */
export function readableSources(sources: Source[], failures: InputFailures): Source[] {
  const ok: Source[] = [];
  for (const source of sources) {
    const problem = checkInput(source);
    if (problem === null) ok.push(source);
    else failures.report(source, problem);
  }
  return ok;
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

function details(trace: Trace, config: RunConfig): string[] {
  const theme = themeFor(config.color);
  const out: string[] = [];
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
    out.push("", theme.header(`${clip(span.service, 40)} · ${clip(span.name, 100)}`));
    out.push(renderTable([{ head: "Attribute" }, { head: "Value", max: 100 }], rows, theme));
  }
  return out;
}

export async function runTrace(options: TraceOptions, config: RunConfig, io: Io): Promise<number> {
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
  const records = result.records.filter((r) => config.filter.keep(r));
  const trace = assembleTrace(result.traceId, records, serviceOf);
  const theme = themeFor(config.color);
  let lines: string[];
  if (options.format === "json") lines = [stringifyJson(traceJson(trace))];
  else {
    const bars = options.format === "waterfall";
    lines = renderWaterfall(trace, theme, config.formatUs, {
      width: config.width,
      bars,
      logs: options.logs,
    });
    if (options.details) lines = lines.concat(details(trace, config));
  }
  io.stdout.write(`${lines.join("\n")}\n`);
  return failures.count > 0 ? 1 : 0;
}
