// One fuzz iteration: pick corpus lines (the sample logs and the bad-input corpus), mutate them,
// join them with LF or CRLF, feed the bytes in random chunks through the reader (line splitter,
// launcher prefixes, JSON and readable parsing, torn-record joining), then run the filter, span
// assembly, trace views, layouts, summaries and `validate` over the records, checking the
// invariants of invariants.ts. Iteration I of seed S is replayable alone.
import { readdirSync, readFileSync } from "node:fs";
import { EnvFilter } from "../../src/filter/env-filter.js";
import { RecordFilter } from "../../src/filter/record-filter.js";
import { parseWhere } from "../../src/filter/where.js";
import { LineSplitter } from "../../src/input/line-splitter.js";
import type { LogRecord, Source } from "../../src/model/record.js";
import { emptyRecord, normalizeJson } from "../../src/parse/normalize.js";
import { parseReadable } from "../../src/parse/readable.js";
import { RecordReader } from "../../src/parse/record-reader.js";
import { assembleTrace } from "../../src/trace/span-model.js";
import { TraceSummaries } from "../../src/trace/summaries.js";
import { ProblemLog } from "../../src/validate/problems.js";
import { renderValidateJson, renderValidateText } from "../../src/validate/report.js";
import { SpanChecker } from "../../src/validate/span-checks.js";
import { ValidateSink } from "../../src/validate/validate-sink.js";
import {
  check,
  checkLayouts,
  checkRecords,
  checkTraceViews,
  checkTree,
  expectedLines,
  expectedSpanCount,
  InvariantError,
} from "./invariants.js";
import { iterationRng, mutateLine, type Rng } from "./mutate.js";

export interface FuzzFailure {
  seed: number;
  iteration: number;
  invariant: string;
  message: string;
  /** The input bytes, as latin1 text (one character per byte). */
  input: string;
}

const SOURCE: Source = { index: 0, label: "fuzz", path: "fuzz", labelled: false };
const DIRECTIVES = [
  "info",
  "debug,dynamo_runtime=trace",
  "warn,[http-request]=trace",
  "dynamo_llm[handle_payload{component=prefill}]=debug",
  "off,log=info",
  "x:trace,[{a=1}]",
];

/** Lines of the sample logs and of the bad-input corpus, as latin1 strings. */
export function loadCorpus(root: string): string[] {
  const files: string[] = [];
  for (const dir of ["fixtures/sample/", "fixtures/bad/", "fixtures/doc-example/created/"]) {
    for (const name of readdirSync(root + dir)) {
      if (!name.endsWith(".gz") && !name.endsWith(".md")) files.push(root + dir + name);
    }
  }
  return files
    .flatMap((f) => readFileSync(f).toString("latin1").split("\n"))
    .filter((l) => l !== "");
}

function makeInput(corpus: readonly string[], rng: Rng): Buffer {
  const count = rng.int(1, 8);
  let text = "";
  for (let i = 0; i < count; i++) {
    const line = rng.pick(corpus);
    text += rng.chance(0.85) ? mutateLine(line, rng, rng.pick(corpus)) : line;
    if (i < count - 1 || rng.chance(0.8)) text += rng.chance(0.2) ? "\r\n" : "\n";
  }
  return Buffer.from(text, "latin1");
}

/** The bytes through the reader in random chunks, as the pipeline reads a file. */
function readRecords(bytes: Buffer, rng: Rng): LogRecord[] {
  const reader = new RecordReader(SOURCE);
  const splitter = new LineSplitter(reader.pushLine);
  const records: LogRecord[] = [];
  for (let at = 0; at < bytes.length; ) {
    const next = Math.min(bytes.length, at + rng.int(1, Math.max(1, bytes.length)));
    splitter.push(bytes.subarray(at, next));
    records.push(...reader.take());
    at = next;
  }
  splitter.end();
  reader.end();
  return records.concat(reader.take());
}

function parseDirectly(bytes: Buffer): void {
  for (const line of expectedLines(bytes)) {
    const text = line.toString("utf8");
    normalizeJson(emptyRecord(SOURCE, 1, text), text, 0);
    parseReadable(emptyRecord(SOURCE, 1, text), text, 0);
  }
}

function checkFilter(records: readonly LogRecord[], rng: Rng): void {
  const env = new EnvFilter(rng.pick(DIRECTIVES), { dynamoDefaults: rng.chance(0.3) });
  const where = rng.chance(0.3) ? [parseWhere(`${rng.pick(["span_id", "__proto__", "k"])}=1`)] : [];
  const filter = new RecordFilter({ env, where, sinceUs: null, untilUs: null });
  for (const rec of records) {
    const kept: unknown = filter.keep(rec);
    check(typeof kept === "boolean", "filter returns a boolean", () => String(kept));
  }
}

function checkTraces(records: readonly LogRecord[], rng: Rng): void {
  const byTrace = new Map<string, LogRecord[]>();
  for (const rec of records) {
    if (rec.traceId === "") continue;
    const list = byTrace.get(rec.traceId) ?? [];
    list.push(rec);
    byTrace.set(rec.traceId, list);
  }
  for (const [traceId, list] of byTrace) {
    const trace = assembleTrace(traceId, list, (rec) => rec.label);
    checkTree(trace, expectedSpanCount(list));
    checkTraceViews(trace, rng.int(40, 200));
  }
  const summaries = new TraceSummaries((rec) => rec.label);
  for (const rec of records) summaries.add(rec);
  summaries.rows();
  summaries.statistics();
}

function checkValidate(records: readonly LogRecord[], strict: boolean): void {
  const log = new ProblemLog(["fuzz"]);
  const spans = new SpanChecker((place, kind, problem) => log.add(place, "warning", kind, problem));
  const sink = new ValidateSink(log, spans, strict);
  for (const rec of records) sink.record(rec);
  spans.endSource(0);
  spans.end();
  const result = { ...sink.counts, files: 1, unreadable: 0, log };
  renderValidateText(result);
  JSON.parse(renderValidateJson(result));
}

/** Runs iteration `iteration` of `seed`; null when every invariant held. */
export function fuzzIteration(
  corpus: readonly string[],
  seed: number,
  iteration: number,
): FuzzFailure | null {
  const rng = iterationRng(seed, iteration);
  const bytes = makeInput(corpus, rng);
  try {
    const records = readRecords(bytes, rng);
    checkRecords(records, expectedLines(bytes));
    parseDirectly(bytes);
    checkFilter(records, rng);
    for (const rec of records) checkLayouts(rec);
    checkTraces(records, rng);
    checkValidate(records, rng.chance(0.5));
    return null;
  } catch (err) {
    const invariant = err instanceof InvariantError ? err.invariant : "no exception";
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    return { seed, iteration, invariant, message, input: bytes.toString("latin1") };
  }
}
