/**
 * `dynlog trace <id>`: finds one request across the inputs and prints its span tree as a
 * waterfall, a tree, or JSON; `--logs` adds each span's records, `--details` its attributes.
 *
 * Receives: the id, a run configuration and view options. Emits: the exit status (1 when nothing
 * matches, when a prefix is ambiguous, or when an input could not be read).
 */
import type { RunConfig } from "../cli/resolve.js";
import { checkInput } from "../input/inputs.js";
import type { LogRecord, Source } from "../model/record.js";
import { formatDuration } from "../render/durations.js";
import { renderTable } from "../render/tables.js";
import { terminalSafe } from "../render/terminal-safe.js";
import { themeFor } from "../render/theme.js";
import { traceJson } from "../render/trace-json.js";
import { renderWaterfall } from "../render/waterfall.js";
import { assembleTrace } from "../trace/assemble.js";
import { lookupTrace, ServiceMap } from "../trace/lookup.js";
import type { Trace } from "../trace/span.js";
import type { Io } from "./io.js";

export interface TraceOptions {
  id: string;
  format: "waterfall" | "tree" | "json";
  logs: boolean;
  details: boolean;
}

export function readableSources(sources: Source[], io: Io): { ok: Source[]; failed: number } {
  const ok: Source[] = [];
  let failed = 0;
  for (const source of sources) {
    const problem = checkInput(source);
    if (problem === null) ok.push(source);
    else {
      io.inputError(source, problem);
      failed++;
    }
  }
  return { ok, failed };
}

function describeCandidates(candidates: Map<string, LogRecord[]>, config: RunConfig): string[] {
  return [...candidates.entries()].map(([traceId, records]) => {
    const first = records.reduce((a, b) => (b.timeUs < a.timeUs ? b : a));
    const request = records.find((r) => r.requestId !== "")?.requestId ?? "-";
    const when = Number.isNaN(first.timeUs) ? first.time : config.formatUs(first.timeUs);
    return `  ${traceId}  ${when}  ${terminalSafe(request)}  ${terminalSafe(first.spanName)}`;
  });
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
    out.push("", theme.header(`${terminalSafe(span.service)} · ${terminalSafe(span.name)}`));
    out.push(renderTable([{ head: "Attribute" }, { head: "Value", max: 100 }], rows, theme));
  }
  return out;
}

export async function runTrace(options: TraceOptions, config: RunConfig, io: Io): Promise<number> {
  const { ok, failed } = readableSources(config.sources, io);
  const services = new ServiceMap(config.sources);
  const result = await lookupTrace(options.id, ok, services, (source, reason) => {
    io.inputError(source, reason);
  });
  if (result.kind === "none") {
    io.warn(`no trace matches '${terminalSafe(options.id)}'`);
    return 1;
  }
  if (result.kind === "ambiguous") {
    io.warn(`'${terminalSafe(options.id)}' matches ${result.candidates.size} traces:`);
    for (const line of describeCandidates(result.candidates, config)) io.warn(line);
    return 1;
  }
  const records = result.records.filter((r) => config.filter.keep(r));
  const trace = assembleTrace(result.traceId, records, services.serviceOf);
  const theme = themeFor(config.color);
  let lines: string[];
  if (options.format === "json") lines = [JSON.stringify(traceJson(trace), null, 2)];
  else {
    const bars = options.format === "waterfall";
    lines = renderWaterfall(trace, theme, config.formatUs, {
      width: config.width,
      bars,
      logs: options.logs,
    });
    if (options.details) lines.push(...details(trace, config));
  }
  io.stdout.write(`${lines.join("\n")}\n`);
  return failed > 0 ? 1 : 0;
}
