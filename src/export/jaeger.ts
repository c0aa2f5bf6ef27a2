/**
 * `--format jaeger`: the JSON Jaeger UI opens from "Upload JSON file" without a server (the shape
 * of its query API: `{"data":[{traceID, spans, processes}]}`), times and durations in µs.
 *
 * Receives: traces. Emits: one JSON document, written trace by trace.
 */
import type { Trace } from "../trace/span.js";
import type { TraceDocument } from "./format.js";
import {
  type AnyValue,
  type ExportContext,
  type KeyValue,
  SPAN_KIND,
  STATUS_ERROR,
  tracesData,
} from "./otlp-model.js";

interface JaegerTag {
  key: string;
  type: "string" | "bool" | "int64" | "float64";
  value: string | boolean | number;
}

function tagOf(key: string, v: AnyValue): JaegerTag {
  if (v.boolValue !== undefined) return { key, type: "bool", value: v.boolValue };
  if (v.intValue !== undefined) {
    const n = Number(v.intValue);
    return Number.isSafeInteger(n)
      ? { key, type: "int64", value: n }
      : { key, type: "string", value: v.intValue };
  }
  if (v.doubleValue !== undefined) return { key, type: "float64", value: v.doubleValue };
  return { key, type: "string", value: v.stringValue ?? "" };
}

const tags = (list: readonly KeyValue[]): JaegerTag[] => list.map((kv) => tagOf(kv.key, kv.value));

const KIND_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(SPAN_KIND).map(([name, n]) => [n, name]),
);

/** Nanoseconds (decimal string) to whole microseconds. */
function micros(ns: string): number {
  return ns.length <= 3 ? 0 : Number(ns.slice(0, -3));
}

export function jaegerTrace(trace: Trace, context: ExportContext): object {
  const processes: Record<string, { serviceName: string; tags: JaegerTag[] }> = {};
  const spans: object[] = [];
  const data = tracesData([trace], context);
  data.resourceSpans.forEach((rs, i) => {
    const processID = `p${i + 1}`;
    const service = rs.resource.attributes.find((kv) => kv.key === "service.name");
    processes[processID] = {
      serviceName: service?.value.stringValue ?? "",
      tags: tags(rs.resource.attributes.filter((kv) => kv.key !== "service.name")),
    };
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans) {
        const spanTags = tags(s.attributes);
        spanTags.push({ key: "otel.scope.name", type: "string", value: ss.scope.name });
        if (s.kind !== SPAN_KIND.internal) {
          spanTags.push({ key: "span.kind", type: "string", value: KIND_NAMES[s.kind] ?? "" });
        }
        if (s.status.code === STATUS_ERROR) {
          spanTags.push({ key: "error", type: "bool", value: true });
          if (s.status.message) {
            spanTags.push({
              key: "otel.status_description",
              type: "string",
              value: s.status.message,
            });
          }
        }
        const start = micros(s.startTimeUnixNano);
        spans.push({
          traceID: s.traceId,
          spanID: s.spanId,
          operationName: s.name,
          references:
            s.parentSpanId === undefined
              ? []
              : [{ refType: "CHILD_OF", traceID: s.traceId, spanID: s.parentSpanId }],
          startTime: start,
          duration: Math.max(0, micros(s.endTimeUnixNano) - start),
          tags: spanTags,
          logs: s.events.map((e) => ({
            timestamp: micros(e.timeUnixNano),
            fields: [{ key: "event", type: "string", value: e.name }, ...tags(e.attributes)],
          })),
          processID,
          warnings: null,
          flags: 1,
        });
      }
    }
  });
  return { traceID: trace.traceId, spans, processes, warnings: null };
}

export function jaegerDocument(context: ExportContext): TraceDocument {
  let first = true;
  return {
    begin: () => '{"data":[',
    trace: (trace) => {
      const text = JSON.stringify(jaegerTrace(trace, context));
      const out = first ? `\n${text}` : `,\n${text}`;
      first = false;
      return out;
    },
    finish: () => '\n],"total":0,"limit":0,"offset":0,"errors":null}\n',
  };
}
