/**
 * Every trace of a run, for exports: the records that carry a trace id (found in the raw bytes
 * first), grouped by trace id, each group assembled into a `Trace`. A trace is chosen by its
 * records (`--filter`, `--where`, `--since`, `--until`: any kept record chooses it, and it is
 * exported whole), by `--trace` ids (as `trace` takes them), and by the trace predicate.
 *
 * This is the one place that knows how traces are gathered; it is meant to be replaced by the
 * span model's own entry point.
 *
 * Receives: sources, the record filter, ids and a predicate. Emits: traces in start order.
 */
import type { RecordFilter } from "../filter/record-filter.js";
import type { LogRecord, Source } from "../model/record.js";
import { type ScanErrorHandler, scanSources } from "../parse/scan-sources.js";
import { carriesRequestId, classifyId, ServiceMap } from "../trace/lookup.js";
import type { Trace } from "../trace/span.js";
import { assembleTrace } from "../trace/span-model.js";

const TRACE_IDS = [Buffer.from('"trace_id":"')];

export interface TraceSelection {
  /** `--trace` values: full ids, prefixes (6+ hex) or request ids; empty = every trace. */
  ids: readonly string[];
  /** Records that choose their trace. */
  filter: RecordFilter;
  /** Whether an assembled trace is wanted (`--errors`, `--min-duration`). */
  wanted: (trace: Trace) => boolean;
}

export interface CollectedTraces {
  traces: Trace[];
  /** `--trace` values that matched nothing, or a prefix that matched several traces. */
  problems: string[];
}

/** Trace ids a `--trace` value designates among the groups, or a problem. */
function resolveId(id: string, groups: Map<string, LogRecord[]>): string[] | string {
  const kind = classifyId(id);
  if (kind === "trace") {
    const full = id.toLowerCase();
    return groups.has(full) ? [full] : `no trace matches '${id}'`;
  }
  if (kind === "prefix") {
    const prefix = id.toLowerCase();
    const found = [...groups.keys()].filter((t) => t.startsWith(prefix));
    if (found.length === 1) return found;
    if (found.length > 1) return `'${id}' matches ${found.length} traces: give more of the id`;
  }
  const carriers: string[] = [];
  for (const [traceId, records] of groups) {
    if (records.some((r) => carriesRequestId(r, id))) carriers.push(traceId);
  }
  return carriers.length > 0 ? carriers : `no trace matches '${id}'`;
}

/** Reads `sources` and assembles the chosen traces. */
export async function collectTraces(
  sources: readonly Source[],
  selection: TraceSelection,
  onError: ScanErrorHandler,
): Promise<CollectedTraces> {
  const services = new ServiceMap(sources);
  const groups = new Map<string, LogRecord[]>();
  const chosen = new Set<string>();
  const options = { workers: null };
  for await (const batch of scanSources(sources, TRACE_IDS, onError, options)) {
    for (const rec of batch) {
      if (services.learn(rec) || rec.traceId === "") continue;
      const list = groups.get(rec.traceId);
      if (list === undefined) groups.set(rec.traceId, [rec]);
      else list.push(rec);
      if (selection.filter.keep(rec)) chosen.add(rec.traceId);
    }
  }
  const problems: string[] = [];
  let ids: Iterable<string> = chosen;
  if (selection.ids.length > 0) {
    const named = new Set<string>();
    for (const id of selection.ids) {
      const found = resolveId(id, groups);
      if (typeof found === "string") problems.push(found);
      else for (const t of found) if (chosen.has(t)) named.add(t);
    }
    ids = named;
  }
  const traces: Trace[] = [];
  for (const traceId of ids) {
    const trace = assembleTrace(traceId, groups.get(traceId) as LogRecord[], services.ofRecord);
    if (trace.spans.length > 0 && selection.wanted(trace)) traces.push(trace);
  }
  traces.sort((a, b) => a.startUs - b.startUs || (a.traceId < b.traceId ? -1 : 1));
  return { traces, problems };
}
