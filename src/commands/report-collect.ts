/**
 * What a report is made of, read in two passes over the inputs:
 * 1. the span markers and warning/error records, summarised exactly as `traces` and `stats`
 *    summarise them (same scan, same summaries), so the report's numbers are theirs;
 * 2. the records of the requests chosen for full detail, assembled into span trees by the span
 *    model's `TraceAssembler` as `trace` and `export` assemble them (each span keeps the records
 *    the report can show, the others are counted).
 * Inputs that can be read only once (stdin) are spooled to a temporary file for the second pass.
 *
 * Receives: a run configuration and the choice of detailed requests. Emits: rows, stats, traces.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunConfig } from "../config/run-config.js";
import { checkInput, readsOnce } from "../input/inputs.js";
import type { Source } from "../model/record.js";
import { LOGS_PER_SPAN_MAX } from "../render/span-logs.js";
import {
  MAX_TRACE_RECORDS,
  ServiceMap,
  scanRecords,
  spoolInput,
  TRACE_RECORDS,
} from "../trace/lookup.js";
import type { Trace } from "../trace/span.js";
import { TraceAssembler } from "../trace/span-model.js";
import type { SpanStats, TraceRow } from "../trace/summaries.js";
import type { Io } from "./io.js";
import { MARKERS, PROBLEMS, readInputs, summarize } from "./summarize.js";
import { explainSpans } from "./traces.js";

export interface CollectedRun {
  rows: TraceRow[];
  stats: SpanStats[];
  /** The requests chosen for detail, by trace id. */
  traces: Map<string, Trace>;
  /** Trace ids whose records were cut at MAX_TRACE_RECORDS. */
  truncated: string[];
  failedInputs: number;
}

/**
 * The traces in `wanted`, assembled from their records (read as `trace` reads them); a trace
 * takes at most MAX_TRACE_RECORDS records.
 */
export async function collectTraces(
  sources: readonly Source[],
  wanted: ReadonlySet<string>,
): Promise<{ traces: Map<string, Trace>; truncated: string[] }> {
  const services = new ServiceMap(sources);
  const assembler = new TraceAssembler({
    service: services.ofRecord,
    maxSpanRecords: LOGS_PER_SPAN_MAX,
    maxTraceRecords: MAX_TRACE_RECORDS,
  });
  const readable = sources.filter((s) => checkInput(s) === null);
  // Read errors were reported by the first pass.
  const quiet = () => {};
  await scanRecords(readable, TRACE_RECORDS, services, quiet, (rec) => {
    if (wanted.has(rec.traceId)) assembler.add(rec);
  });
  const traces = new Map<string, Trace>();
  for (const trace of assembler.traces()) traces.set(trace.traceId, trace);
  return { traces, truncated: [...assembler.truncated] };
}

/** Summaries of every request, then full detail for those `choose` picks from the rows. */
export async function collectRun(
  config: RunConfig,
  io: Io,
  choose: (rows: readonly TraceRow[]) => Set<string>,
): Promise<CollectedRun> {
  const once = config.sources.filter(readsOnce);
  const spool = once.length > 0 ? mkdtempSync(join(tmpdir(), "dynlog-report-")) : null;
  try {
    const sources: Source[] = [];
    for (const s of config.sources) {
      sources.push(
        spool !== null && once.includes(s) && checkInput(s) === null
          ? await spoolInput(s, spool, (source, reason) => io.inputError(source, reason))
          : s,
      );
    }
    const run = { ...config, sources };
    const { summaries, outcome } = await summarize(run, readInputs(run, io), [
      ...MARKERS,
      ...PROBLEMS,
    ]);
    explainSpans(summaries, outcome, io);
    const failures = outcome.failures;
    const rows = summaries.rows();
    const stats = summaries
      .statistics()
      .sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
    const detail = await collectTraces(sources, choose(rows));
    return { rows, stats, ...detail, failedInputs: failures.count };
  } finally {
    if (spool !== null) rmSync(spool, { recursive: true, force: true });
  }
}
