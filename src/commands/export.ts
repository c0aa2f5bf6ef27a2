/**
 * `dynlog export`: the traces of the inputs written as OTLP/JSON, Jaeger, Grafana or Chrome trace
 * JSON (to standard output or `-o FILE`), or pushed to an OTLP/HTTP collector (`--push`).
 * Traces are chosen with `--trace`, `--errors`, `--min-duration` and, by their records,
 * `--filter`/`--where`/`--since`/`--until`.
 *
 * Receives: export options, a run configuration. Emits: the exit status: 1 when nothing was
 * chosen, a `--trace` matched nothing, an input could not be read, or a push left anything
 * unaccepted.
 */
import { createWriteStream, openSync } from "node:fs";
import { type RunConfig, UsageError } from "../cli/resolve.js";
import { durationUs } from "../cli/time-bound.js";
import { chromeDocument } from "../export/chrome.js";
import { collectTraces, type TraceSelection } from "../export/collect-traces.js";
import type { TraceDocument } from "../export/format.js";
import { grafanaDocument } from "../export/grafana.js";
import { jaegerDocument } from "../export/jaeger.js";
import { otlpJsonDocument } from "../export/otlp-json.js";
import { type ExportContext, parseResourceAttributes } from "../export/otlp-model.js";
import { describeFsError } from "../input/inputs.js";
import { OutputWriter } from "../output/writer.js";
import type { Trace } from "../trace/span.js";
import { InputFailures, type Io } from "./io.js";
import { readableSources } from "./trace.js";

export type ExportFormat = "otlp" | "jaeger" | "grafana" | "chrome";

export interface ExportOptions {
  format: ExportFormat;
  output: string | undefined;
  ids: string[];
  errors: boolean;
  minDurationUs: number | null;
  push: boolean;
  endpoint: string | undefined;
  protocol: string | undefined;
  signals: { traces: boolean; logs: boolean };
  version: string;
}

export interface ParsedExport {
  format?: string;
  output?: string;
  trace?: string | string[];
  errors?: boolean;
  "min-duration"?: string;
  push?: boolean;
  endpoint?: string;
  protocol?: string;
  signals?: string;
}

/** Checks the option values (a bad one is a usage error, before any output). */
export function exportOptions(parsed: ParsedExport, version: string): ExportOptions {
  let minDurationUs: number | null = null;
  if (parsed["min-duration"] !== undefined) {
    minDurationUs = durationUs(parsed["min-duration"].trim());
    if (minDurationUs === null) {
      throw new UsageError(
        `--min-duration '${parsed["min-duration"]}': expected a duration (250ms, 2s, 1m)`,
      );
    }
  }
  const signals = { traces: false, logs: false };
  for (const word of (parsed.signals ?? "traces").split(",")) {
    const w = word.trim();
    if (w === "traces" || w === "logs") signals[w] = true;
    else
      throw new UsageError(`--signals '${parsed.signals}': expected traces, logs or traces,logs`);
  }
  if (signals.logs && !parsed.push) {
    throw new UsageError("--signals logs: log records are only sent with --push");
  }
  if (parsed.push && parsed.output !== undefined) {
    throw new UsageError("--push and --output cannot be used together");
  }
  return {
    format: (parsed.format ?? "otlp") as ExportFormat,
    output: parsed.output,
    ids: parsed.trace === undefined ? [] : ([] as string[]).concat(parsed.trace),
    errors: parsed.errors === true,
    minDurationUs,
    push: parsed.push === true,
    endpoint: parsed.endpoint,
    protocol: parsed.protocol,
    signals,
    version,
  };
}

/** Whether a trace passes `--errors` and `--min-duration`. */
function tracePredicate(options: ExportOptions): (trace: Trace) => boolean {
  const min = options.minDurationUs;
  return (trace) => {
    if (options.errors && !trace.spans.some((s) => s.errors > 0)) return false;
    if (min !== null && !(trace.endUs - trace.startUs >= min)) return false;
    return true;
  };
}

function documentFor(format: ExportFormat, context: ExportContext): TraceDocument {
  switch (format) {
    case "jaeger":
      return jaegerDocument(context);
    case "grafana":
      return grafanaDocument(context);
    case "chrome":
      return chromeDocument();
    default:
      return otlpJsonDocument(context);
  }
}

export function exportContext(version: string, env: NodeJS.ProcessEnv): ExportContext {
  return {
    scope: { name: "dynlog", version },
    resource: parseResourceAttributes(env.OTEL_RESOURCE_ATTRIBUTES),
  };
}

async function writeDocument(
  traces: readonly Trace[],
  document: TraceDocument,
  writer: OutputWriter,
): Promise<void> {
  writer.write(document.begin());
  for (const trace of traces) {
    writer.write(document.trace(trace));
    if (writer.closed) return;
    await writer.ready();
  }
  writer.write(document.finish());
}

export async function runExport(
  options: ExportOptions,
  config: RunConfig,
  io: Io,
): Promise<number> {
  const env = config.made.environment.env;
  const failures = new InputFailures(io);
  const sources = readableSources(config.sources, failures);
  const context = exportContext(options.version, env);
  const selection: TraceSelection = {
    ids: options.ids,
    filter: config.filter,
    wanted: tracePredicate(options),
  };
  if (options.push) {
    const { pushExport } = await import("../export/push-run.js");
    const stderr = process.stderr;
    const progress = stderr.isTTY ? (line: string) => stderr.write(`\r\u001b[2K${line}`) : null;
    const status = await pushExport({
      options,
      sources,
      selection,
      context,
      env,
      io,
      onError: failures.report,
      progress,
    });
    return status === 0 && failures.count > 0 ? 1 : status;
  }
  let fd: number | null = null;
  if (options.output !== undefined && options.output !== "-") {
    try {
      fd = openSync(options.output, "w");
    } catch (err) {
      io.warn(`${options.output}: ${describeFsError(err)}`);
      return 1;
    }
  }
  const { traces, problems } = await collectTraces(sources, selection, failures.report);
  for (const p of problems) io.warn(p);
  if (traces.length === 0) io.warn("no traces to export");
  const stream = fd === null ? io.stdout : createWriteStream("", { fd });
  const writer = new OutputWriter(stream);
  try {
    await writeDocument(traces, documentFor(options.format, context), writer);
    await writer.end();
  } finally {
    // The file stream closes its descriptor when it ends.
    if (fd !== null) await new Promise<void>((resolve) => stream.end(resolve));
  }
  if (writer.closed) return 0;
  return failures.count > 0 || problems.length > 0 || traces.length === 0 ? 1 : 0;
}
