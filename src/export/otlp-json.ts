/**
 * `--format otlp`: OTLP/JSON as the OpenTelemetry file exporter writes it, one `TracesData`
 * object per line (here: one line per trace).
 *
 * Receives: traces. Emits: JSON lines.
 */
import type { Trace } from "../trace/span.js";
import type { TraceDocument } from "./format.js";
import { type ExportContext, tracesData } from "./otlp-model.js";

export function otlpJsonDocument(context: ExportContext): TraceDocument {
  return {
    begin: () => "",
    trace: (trace: Trace) => `${JSON.stringify(tracesData([trace], context))}\n`,
    finish: () => "",
  };
}
