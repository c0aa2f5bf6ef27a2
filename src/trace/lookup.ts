/**
 * Finds the records of one request across several logs, searching raw bytes before parsing:
 * - a trace id, or a unique prefix of one (at least 6 hex digits): one pass for
 *   `"trace_id":"<id>`;
 * - a request id (`x_request_id`, `x_dynamo_request_id` or `request_id` value): a first pass finds
 *   the trace(s) carrying it, a second collects those traces (not every record of a request
 *   carries its request id). Standard input is spooled to a temporary file for the second pass.
 * Each record carries the service announced before it in its stream (`OTLP export ...` records
 * with a `service` field), so spans can be named by service. Memory holds the matching records
 * only.
 *
 * Receives: an id and sources. Emits: the trace's records, or the candidates when ambiguous.
 */
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeFsError, readBytes, readsOnce } from "../input/inputs.js";
import type { LineTest } from "../input/needle-lines.js";
import { ScanWorkers } from "../input/parallel-scan.js";
import { type LogRecord, type Source, serviceOf } from "../model/record.js";
import { lookupValue } from "../parse/normalize.js";
import { announcedService } from "../parse/record-reader.js";
import { type ScanErrorHandler, scanSources } from "../parse/scan-sources.js";

export { ANNOUNCEMENT } from "../parse/record-stream.js";
export { announcedService };
/**
 * Records kept for one lookup (about 1 KB each): past this, later records are left out and the
 * result says so. A real request has tens to thousands; this bounds memory on hostile input.
 */
export const MAX_TRACE_RECORDS = 500_000;

/** Counts kept records against MAX_TRACE_RECORDS. */
class Budget {
  kept = 0;
  truncated = false;

  take(): boolean {
    if (this.kept >= MAX_TRACE_RECORDS) {
      this.truncated = true;
      return false;
    }
    this.kept++;
    return true;
  }
}

export type IdKind = "trace" | "prefix" | "request";

export function classifyId(id: string): IdKind {
  if (/^[0-9a-fA-F]{32}$/.test(id)) return "trace";
  if (/^[0-9a-fA-F]{6,31}$/.test(id)) return "prefix";
  return "request";
}

/**
 * Service names by source label, for views that name a span by its label only (the first
 * service a label's records carry). Records themselves carry the service announced before them
 * (`serviceOf` in model/record.ts), which is what a view should use when it has the record.
 */
export class ServiceMap {
  private readonly byLabel = new Map<string, string>();

  constructor(
    private readonly sources: readonly Source[],
    /**
     * The service of records nothing names (no `label=`, no announcement, no launcher prefix):
     * used instead of their input's own name (file name, `stdin`).
     */
    private readonly fallback: string | null = null,
  ) {}

  /** Learns from a record; true when it is an announcement (which callers skip). */
  learn(rec: LogRecord): boolean {
    if (rec.service !== "" && !this.byLabel.has(rec.label))
      this.byLabel.set(rec.label, rec.service);
    return announcedService(rec) !== "";
  }

  /**
   * A label the user gave wins; then the announced service; then the label itself: a launcher
   * prefix's name, or the input's own name (unless there is a fallback).
   */
  readonly serviceOf = (label: string): string => {
    const source = this.sources.find((s) => s.label === label);
    if (source?.labelled) return label;
    const announced = this.byLabel.get(label);
    if (announced !== undefined) return announced;
    return source !== undefined && this.fallback !== null ? this.fallback : label;
  };

  /**
   * A record's service: `serviceOf` of the record model once the reader has set the record's
   * service; before that (records with no service yet), the service its label announced.
   */
  readonly ofRecord = (rec: LogRecord): string =>
    rec.service !== "" || rec.source.labelled ? serviceOf(rec) : this.serviceOf(rec.label);
}

/** Every record of a trace: the lines that carry a trace id. */
export const TRACE_RECORDS = [Buffer.from('"trace_id":"')];

/**
 * The records on the lines of `sources` that contain any of `needles`, each handed to `visit`,
 * those of one input in input order; service announcements are learnt by `services` and not
 * handed on. Read on this thread: when every matching line is parsed, handing lines over from
 * worker threads costs more than finding them.
 */
export async function scanRecords(
  sources: readonly Source[],
  needles: readonly Buffer[],
  services: ServiceMap,
  onError: ScanErrorHandler,
  visit: (rec: LogRecord) => void,
  accept?: (source: Source) => LineTest,
): Promise<void> {
  if (sources.length === 0) return;
  const options = { workers: null, accept };
  for await (const batch of scanSources(sources, needles, onError, options)) {
    for (const rec of batch) if (!services.learn(rec)) visit(rec);
  }
}

export type LookupResult =
  | { kind: "found"; traceId: string; records: LogRecord[]; truncated: boolean }
  | { kind: "none" }
  | { kind: "ambiguous"; candidates: Map<string, LogRecord[]> };

/** What every pass of one lookup shares. */
interface Lookup {
  sources: readonly Source[];
  services: ServiceMap;
  onError: ScanErrorHandler;
  workers: ScanWorkers;
}

/**
 * The records that `keep` accepts among the lines with `needles`; with `followers`, also the
 * non-record lines right after a kept record (its traceback), as unparsed records.
 */
async function collect(
  lookup: Lookup,
  needles: Buffer[],
  keep: (rec: LogRecord) => boolean,
  budget: Budget,
  followers = false,
): Promise<LogRecord[]> {
  const kept: LogRecord[] = [];
  const options = { workers: lookup.workers, trailers: followers };
  let last: LogRecord | null = null;
  for await (const batch of scanSources(lookup.sources, needles, lookup.onError, options)) {
    for (const rec of batch) {
      if (rec.kind === "unparsed") {
        if (last !== null && last.source === rec.source && budget.take()) {
          rec.orderUs = last.orderUs;
          kept.push(rec);
        }
        continue;
      }
      last = null;
      if (lookup.services.learn(rec)) continue;
      if (keep(rec) && budget.take()) {
        kept.push(rec);
        last = rec;
      }
    }
  }
  return kept;
}

/** Records by trace id; an unparsed line (a follower) goes with the record before it. */
function groupByTrace(records: LogRecord[]): Map<string, LogRecord[]> {
  const groups = new Map<string, LogRecord[]>();
  let traceId = "";
  for (const rec of records) {
    if (rec.kind !== "unparsed") traceId = rec.traceId;
    const list = groups.get(traceId);
    if (list === undefined) groups.set(traceId, [rec]);
    else list.push(rec);
  }
  return groups;
}

function resultOf(groups: Map<string, LogRecord[]>, budget: Budget): LookupResult {
  if (groups.size === 0) return { kind: "none" };
  if (groups.size > 1) return { kind: "ambiguous", candidates: groups };
  const [traceId, records] = [...groups.entries()][0] as [string, LogRecord[]];
  return { kind: "found", traceId, records, truncated: budget.truncated };
}

async function byTracePrefix(
  prefix: string,
  lookup: Lookup,
  budget: Budget,
): Promise<Map<string, LogRecord[]>> {
  const needle = Buffer.from(`"trace_id":"${prefix}`);
  const records = await collect(
    lookup,
    [needle],
    (r) => r.traceId.startsWith(prefix),
    budget,
    true,
  );
  return groupByTrace(records);
}

export function carriesRequestId(rec: LogRecord, id: string): boolean {
  return (
    rec.requestId === id ||
    lookupValue(rec, "x_dynamo_request_id") === id ||
    lookupValue(rec, "request_id") === id
  );
}

/**
 * Copies an input that can be read only once to a temporary file, so it can be read twice. A
 * read error (a corrupt gzip stream) is reported here, once; what was read before it is kept.
 */
export async function spoolInput(
  source: Source,
  dir: string,
  onError: ScanErrorHandler,
): Promise<Source> {
  const path = join(dir, `input-${source.index}`);
  const out = createWriteStream(path);
  try {
    for await (const chunk of readBytes(source)) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", resolve));
    }
  } catch (err) {
    onError(source, describeFsError(err));
  }
  await new Promise<void>((resolve, reject) => {
    out.once("error", reject);
    out.end(() => resolve());
  });
  return { ...source, path };
}

async function byRequestId(
  id: string,
  lookup: Lookup,
  budget: Budget,
): Promise<Map<string, LogRecord[]>> {
  const needle = Buffer.from(JSON.stringify(id));
  const carriers = await collect(lookup, [needle], (r) => carriesRequestId(r, id), new Budget());
  const traceIds = [...new Set(carriers.map((r) => r.traceId).filter((t) => t !== ""))];
  if (traceIds.length === 0) return new Map();
  const needles = traceIds.map((t) => Buffer.from(`"trace_id":"${t}"`));
  const wanted = new Set(traceIds);
  const records = await collect(lookup, needles, (r) => wanted.has(r.traceId), budget, true);
  return groupByTrace(records);
}

/** Finds the trace `id` designates in `sources`. */
export async function lookupTrace(
  id: string,
  sources: readonly Source[],
  services: ServiceMap,
  onError: ScanErrorHandler,
): Promise<LookupResult> {
  const kind = classifyId(id);
  // A prefix that matches no trace is tried as a request id: a second pass, so inputs that can
  // be read only once (stdin, a FIFO) are spooled.
  const once = kind === "trace" ? [] : sources.filter(readsOnce);
  const spool = once.length > 0 ? mkdtempSync(join(tmpdir(), "dynlog-")) : null;
  const budget = new Budget();
  const workers = new ScanWorkers();
  try {
    const readable: Source[] = [];
    for (const s of sources) {
      readable.push(spool !== null && once.includes(s) ? await spoolInput(s, spool, onError) : s);
    }
    const lookup: Lookup = { sources: readable, services, onError, workers };
    if (kind !== "request") {
      const groups = await byTracePrefix(id.toLowerCase(), lookup, budget);
      if (groups.size > 0 || kind === "trace") return resultOf(groups, budget);
    }
    return resultOf(await byRequestId(id, lookup, budget), budget);
  } finally {
    await workers.close();
    if (spool !== null) rmSync(spool, { recursive: true, force: true });
  }
}
