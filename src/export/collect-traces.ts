/**
 * The traces an export writes: every record that carries a trace id (found in the raw bytes
 * first) goes to the span model's `TraceAssembler` as it is read, which keeps span states and at
 * most MAX_EVENTS records per span (the ones that become span events, dormant: their text only;
 * the others are counted), so memory grows with what the export writes, not with the logs read.
 * Traces are chosen and ordered by their outlines (spans without records), then assembled whole
 * one at a time as they are written. A trace is chosen by its records (`--filter`, `--where`,
 * `--since`, `--until`: any kept record chooses it, and it is exported whole), by `--trace` ids
 * (as `trace` takes them), and by the trace predicate.
 *
 * Receives: sources, the record filter, ids and a predicate. Emits: traces in start order.
 */
import type { RecordFilter } from "../filter/record-filter.js";
import type { Source } from "../model/record.js";
import type { ScanErrorHandler } from "../parse/scan-sources.js";
import {
  carriesRequestId,
  classifyId,
  ServiceMap,
  scanRecords,
  TRACE_RECORDS,
} from "../trace/lookup.js";
import type { Trace } from "../trace/span.js";
import { TraceAssembler } from "../trace/span-model.js";
import { MAX_EVENTS } from "./otlp-model.js";

export interface TraceSelection {
  /** `--trace` values: full ids, prefixes (6+ hex) or request ids; empty = every trace. */
  ids: readonly string[];
  /** Records that choose their trace. */
  filter: RecordFilter;
  /** Whether an assembled trace is wanted (`--errors`, `--min-duration`). */
  wanted: (trace: Trace) => boolean;
  /** The service of spans the logs do not name (`OTEL_SERVICE_NAME`), or null. */
  service: string | null;
}

export interface CollectedTraces {
  /** How many traces `traces()` yields, and their spans. */
  count: number;
  spans: number;
  /** `--trace` values that matched nothing, or a prefix that matched several traces. */
  problems: string[];
  /** The chosen traces in start order, each assembled with its records when it is reached. */
  traces(): Generator<Trace>;
}

/** Trace ids a `--trace` value designates, or a problem; `carriers` carry it as a request id. */
function resolveId(
  id: string,
  assembler: TraceAssembler,
  carriers: ReadonlySet<string>,
): string[] | string {
  const kind = classifyId(id);
  if (kind === "trace") {
    const full = id.toLowerCase();
    return assembler.has(full) ? [full] : `no trace matches '${id}'`;
  }
  if (kind === "prefix") {
    const prefix = id.toLowerCase();
    const found = [...assembler.traceIds()].filter((t) => t.startsWith(prefix));
    if (found.length === 1) return found;
    if (found.length > 1) return `'${id}' matches ${found.length} traces: give more of the id`;
  }
  return carriers.size > 0 ? [...carriers] : `no trace matches '${id}'`;
}

/** Reads `sources` and assembles the chosen traces. */
export async function collectTraces(
  sources: readonly Source[],
  selection: TraceSelection,
  onError: ScanErrorHandler,
): Promise<CollectedTraces> {
  const services = new ServiceMap(sources, selection.service);
  const assembler = new TraceAssembler({
    service: services.ofRecord,
    maxSpanRecords: MAX_EVENTS,
    dormant: true,
  });
  const chosen = new Set<string>();
  // A prefix that matches no trace is taken as a request id, as `trace` takes it.
  const carriers = new Map<string, Set<string>>();
  for (const id of selection.ids) if (classifyId(id) !== "trace") carriers.set(id, new Set());
  await scanRecords(sources, TRACE_RECORDS, services, onError, (rec) => {
    if (rec.traceId === "") return;
    assembler.add(rec);
    if (selection.filter.keep(rec)) chosen.add(rec.traceId);
    for (const [id, traces] of carriers) if (carriesRequestId(rec, id)) traces.add(rec.traceId);
  });
  const problems: string[] = [];
  let ids: Iterable<string> = chosen;
  if (selection.ids.length > 0) {
    const named = new Set<string>();
    for (const id of selection.ids) {
      const found = resolveId(id, assembler, carriers.get(id) ?? new Set());
      if (typeof found === "string") problems.push(found);
      else for (const t of found) if (chosen.has(t)) named.add(t);
    }
    ids = named;
  }
  // Only what ordering needs is kept of an outline: outlines of every trace would double the
  // spans in memory.
  const order: { traceId: string; startUs: number }[] = [];
  let spans = 0;
  for (const traceId of ids) {
    const outline = assembler.outline(traceId);
    if (outline === null || !selection.wanted(outline)) continue;
    order.push({ traceId, startUs: outline.startUs });
    spans += outline.spans.length;
  }
  order.sort((a, b) => a.startUs - b.startUs || (a.traceId < b.traceId ? -1 : 1));
  return {
    count: order.length,
    spans,
    problems,
    *traces() {
      for (const { traceId } of order) yield assembler.trace(traceId) as Trace;
    },
  };
}
