/**
 * What `traces`, `stats` and `report` share: reading the span records of the inputs into the span
 * model's summaries, one pass over the lines that matter (found in the raw bytes first). An input
 * with no span events (Dynamo's default) is read again for every record with a span id, whose
 * spans are then inferred; an input that can be read only once is read that way at once. With a
 * filter, every record of a trace is read, so the filter can select traces by any record. With a
 * share, only that share of the traces is summarised (a worker thread's part, see
 * trace/share.ts).
 *
 * Receives: a run configuration, its readable inputs and the needles. Emits: the summaries.
 */
import type { RunConfig } from "../config/run-config.js";
import { readsOnce } from "../input/inputs.js";
import type { LogRecord, Source } from "../model/record.js";
import { ServiceMap, scanRecords, TRACE_RECORDS } from "../trace/lookup.js";
import type { TraceShare } from "../trace/share.js";
import { TraceSummaries } from "../trace/summaries.js";
import { InputFailures, type Io, readableSources } from "./io.js";

/** All three span markers in one pass: Dynamo writes `"message":"SPAN_CLOSED"` and the like. */
export const MARKERS = [Buffer.from('"message":"SPAN_')];
/** `stats` reads closed spans only: half the markers, half the parsing. */
export const CLOSES = [Buffer.from('"message":"SPAN_CLOSED"')];
export const PROBLEMS = [Buffer.from('"level":"WARN"'), Buffer.from('"level":"ERROR"')];
/** Every record inside a span: what spans are inferred from when there are no span events. */
const SPAN_RECORDS = [Buffer.from('"span_id":"')];
/**
 * Records of an input held back until its first span marker shows it has span events; past
 * this many, the input is taken as one without and read again whole.
 */
const HELD_MAX = 10_000;

/** What a pass over the inputs found out about span events. */
export interface ScanOutcome {
  failures: InputFailures;
  /** Inputs whose spans were inferred (no span events in them). */
  inferredInputs: number;
  inputs: number;
}

/** An input's first pass: records held until a span marker shows it has span events. */
interface Probe {
  marked: boolean;
  held: LogRecord[];
  overflow: boolean;
}

/**
 * Reads the span records of `inputs` (the readable inputs) into `visit`: lines with `needles`
 * (which must find every span marker it needs), and for an input without span events every record
 * with a span id. Records of one input reach `visit` in input order. With a share, other shares'
 * lines are skipped where they can be told apart, once an input's span events are known.
 */
async function scanSpans(
  config: RunConfig,
  inputs: ReadInputs,
  needles: Buffer[],
  services: ServiceMap,
  visit: (rec: LogRecord) => void,
  share: TraceShare | null,
): Promise<ScanOutcome> {
  const { ok, failures } = inputs;
  const onError = failures.report;
  // Inputs read in one pass: another share's lines are skipped from the start.
  const shared = share === null ? undefined : () => share.lineTest(() => false);
  if (config.filter.active) {
    await scanRecords(ok, TRACE_RECORDS, services, onError, visit, shared);
    return { failures, inferredInputs: 0, inputs: ok.length };
  }
  const probes = new Map<number, Probe>();
  const twice = ok.filter((s) => !readsOnce(s));
  for (const s of twice) probes.set(s.index, { marked: false, held: [], overflow: false });
  // Until an input shows a span marker (of any trace), all its lines are read, as on one thread.
  const probed =
    share === null
      ? undefined
      : (source: Source) => {
          const probe = probes.get(source.index) as Probe;
          return share.lineTest(() => !probe.marked);
        };
  const firstPass = (rec: LogRecord) => {
    const probe = probes.get(rec.source.index) as Probe;
    if (probe.marked) visit(rec);
    else if (rec.marker !== null) {
      probe.marked = true;
      for (const held of probe.held) visit(held);
      probe.held = [];
      visit(rec);
    } else if (!probe.overflow) {
      probe.held.push(rec);
      if (probe.held.length > HELD_MAX) {
        probe.overflow = true;
        probe.held = [];
      }
    }
  };
  await scanRecords(twice, needles, services, onError, firstPass, probed);
  const again = twice.filter((s) => !(probes.get(s.index) as Probe).marked);
  await scanRecords(again, SPAN_RECORDS, services, onError, visit, shared);
  const once = ok.filter(readsOnce);
  await scanRecords(once, SPAN_RECORDS, services, onError, visit, shared);
  return { failures, inferredInputs: again.length + once.length, inputs: ok.length };
}

/** The inputs a summary reads (readable ones), and where failures to read them are counted. */
export interface ReadInputs {
  ok: Source[];
  failures: InputFailures;
}

/** The readable inputs of a run; the others are reported. */
export function readInputs(config: RunConfig, io: Io): ReadInputs {
  const failures = new InputFailures(io);
  return { ok: readableSources(config.sources, failures), failures };
}

export interface SummarizeOptions {
  /** Rows are wanted (default true); false: statistics only. */
  rows?: boolean;
  /** Only this share of the traces (a worker thread's part). */
  share?: TraceShare | null;
}

/** The summaries of every trace the filter selects (each summarised whole). */
export async function summarize(
  config: RunConfig,
  inputs: ReadInputs,
  needles: Buffer[],
  options: SummarizeOptions = {},
): Promise<{ summaries: TraceSummaries; outcome: ScanOutcome }> {
  const services = new ServiceMap(config.sources);
  const select = config.filter.active ? (rec: LogRecord) => config.filter.keep(rec) : null;
  const share = options.share ?? null;
  const summaries = new TraceSummaries(services.ofRecord, { select, rows: options.rows, share });
  const visit = (rec: LogRecord) => summaries.add(rec);
  const outcome = await scanSpans(config, inputs, needles, services, visit, share);
  return { summaries, outcome };
}
