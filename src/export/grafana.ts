/**
 * `--format grafana`: what Grafana Explore's "Import trace" accepts: a Tempo-style document with
 * top-level `batches`, spans under `instrumentationLibrarySpans` (the name Grafana's reader still
 * expects), hex ids.
 *
 * Receives: traces. Emits: one JSON document, written trace by trace.
 */
import type { TraceDocument } from "./format.js";
import { type ExportContext, tracesData } from "./otlp-model.js";

export function grafanaDocument(context: ExportContext): TraceDocument {
  let first = true;
  return {
    begin: () => '{"batches":[',
    trace: (trace) => {
      let out = "";
      for (const rs of tracesData([trace], context).resourceSpans) {
        const batch = {
          resource: rs.resource,
          instrumentationLibrarySpans: rs.scopeSpans.map((ss) => ({
            instrumentationLibrary: ss.scope,
            spans: ss.spans,
          })),
        };
        out += `${first ? "\n" : ",\n"}${JSON.stringify(batch)}`;
        first = false;
      }
      return out;
    },
    finish: () => "\n]}\n",
  };
}
