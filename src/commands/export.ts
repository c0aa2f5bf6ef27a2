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
import type { RunConfig } from "../config/run-config.js";
import { chromeDocument } from "../export/chrome.js";
import { collectTraces, type TraceSelection } from "../export/collect-traces.js";
import type { ExportFormat, ExportOptions, TraceDocument } from "../export/format.js";
import { grafanaDocument } from "../export/grafana.js";
import { jaegerDocument } from "../export/jaeger.js";
import { otlpJsonDocument } from "../export/otlp-json.js";
import {
  type ExportContext,
  environmentService,
  parseResourceAttributes,
} from "../export/otlp-model.js";
import { describeFsError } from "../input/inputs.js";
import { OutputWriter } from "../output/writer.js";
import type { Trace } from "../trace/span.js";
import { InputFailures, type Io, readableSources } from "./io.js";

/** The export options as the command line gives them (types checked, combinations not yet). */
export interface ExportValues {
  format: ExportFormat;
  output: string | undefined;
  trace: readonly string[];
  errors: boolean;
  minDurationUs: number | null;
  push: boolean;
  endpoint: string | undefined;
  protocol: string | undefined;
  signals: string;
}

/** Checks how the options combine; returns the options, or what is wrong (a usage error). */
export function exportOptions(
  values: ExportValues,
  version: string,
  env: NodeJS.ProcessEnv,
): ExportOptions | string {
  const signals = { traces: false, logs: false };
  for (const word of values.signals.split(",")) {
    const w = word.trim();
    if (w === "traces" || w === "logs") signals[w] = true;
    else return `--signals '${values.signals}': expected traces, logs or traces,logs`;
  }
  if (signals.logs && !values.push) {
    return "--signals logs: log records are only sent with --push";
  }
  if (values.push && values.output !== undefined) {
    return "--push and --output cannot be used together";
  }
  return {
    format: values.format,
    output: values.output,
    ids: [...values.trace],
    errors: values.errors,
    minDurationUs: values.minDurationUs,
    push: values.push,
    endpoint: values.endpoint,
    protocol: values.protocol,
    signals,
    version,
    env,
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
  traces: Iterable<Trace>,
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
  const env = options.env;
  const failures = new InputFailures(io);
  const sources = readableSources(config.sources, failures);
  const context = exportContext(options.version, env);
  const selection: TraceSelection = {
    ids: options.ids,
    filter: config.filter,
    wanted: tracePredicate(options),
    service: environmentService(env),
  };
  if (options.push) {
    const { pushExport } = await import("./export-push.js");
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
  const collected = await collectTraces(sources, selection, failures.report);
  const problems = collected.problems;
  for (const p of problems) io.warn(p);
  if (collected.count === 0) io.warn("no traces to export");
  const stream = fd === null ? io.stdout : createWriteStream("", { fd });
  const writer = new OutputWriter(stream);
  try {
    await writeDocument(collected.traces(), documentFor(options.format, context), writer);
    await writer.end();
  } finally {
    // The file stream closes its descriptor when it ends.
    if (fd !== null) await new Promise<void>((resolve) => stream.end(resolve));
  }
  if (writer.closed) return 0;
  return failures.count > 0 || problems.length > 0 || collected.count === 0 ? 1 : 0;
}
