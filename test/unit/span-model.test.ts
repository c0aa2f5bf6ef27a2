/** The span model: every situation real logs contain, and every consumer's view of it. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { LogRecord, Source } from "../../src/model/record.js";
import { emptyRecord, normalizeJson } from "../../src/parse/normalize.js";
import { LiveTraces } from "../../src/trace/live-traces.js";
import type { Span } from "../../src/trace/span.js";
import { assembleTrace, TraceAssembler } from "../../src/trace/span-model.js";
import {
  MAX_SUMMARY_SPANS,
  percentile,
  type SpanStats,
  spanStatistics,
  TraceSummaries,
} from "../../src/trace/summaries.js";
import { SpanChecker } from "../../src/validate/span-checks.js";

const TRACE = "b672ccf48683b392891c5cb4163d4b51";
let line = 0;

function source(label: string, index = 0): Source {
  return { index, label, path: `${label}.jsonl`, labelled: false };
}

/** A record at `ms` milliseconds after 13:52:10 of span `span` (child of `parent`). */
function rec(
  src: Source,
  ms: number,
  span: string,
  extra: Record<string, unknown> = {},
  parent = "",
): LogRecord {
  const us = Date.UTC(2025, 9, 31, 13, 52, 10) * 1000 + Math.round(ms * 1000);
  const second = Math.floor(us / 1e6);
  const time = `${new Date(second * 1000).toISOString().slice(0, 19)}.${String(us - second * 1e6).padStart(6, "0")}Z`;
  const json = JSON.stringify({
    time,
    level: "DEBUG",
    target: "t",
    message: "event",
    ...(parent ? { parent_id: parent } : {}),
    span_id: span,
    span_name: extra.span_name ?? "s",
    trace_id: TRACE,
    ...extra,
  });
  const r = emptyRecord(src, ++line, json);
  assert.ok(normalizeJson(r, json, 0), json);
  return r;
}

const open = (
  src: Source,
  ms: number,
  span: string,
  parent = "",
  marker = "SPAN_CREATED",
  name = "s",
) => rec(src, ms, span, { message: marker, span_name: name }, parent);
const close = (src: Source, ms: number, span: string, busy: number, idle: number, parent = "") =>
  rec(
    src,
    ms,
    span,
    {
      message: "SPAN_CLOSED",
      "time.busy_us": busy,
      "time.idle_us": idle,
      "time.duration_us": busy + idle,
    },
    parent,
  );

const fe = source("frontend");
const pre = source("prefill", 1);
const dec = source("decode", 2);
const serviceOf = (r: LogRecord) => r.label;

function byId(spans: Span[], id: string): Span {
  const s = spans.find((x) => x.spanId === id);
  assert.ok(s, `span ${id}`);
  return s as Span;
}

test("the documented disaggregated request, both marker generations", () => {
  for (const marker of ["SPAN_CREATED", "SPAN_FIRST_ENTRY"]) {
    const records = [
      open(fe, 0, "5c20cc08e6afb2b7", "", marker, "http-request"),
      open(pre, 1, "aaaaaaaaaaaaaaaa", "5c20cc08e6afb2b7", marker, "handle_payload"),
      close(pre, 1 + 36.954, "aaaaaaaaaaaaaaaa", 614, 36340, "5c20cc08e6afb2b7"),
      open(dec, 39, "bbbbbbbbbbbbbbbb", "5c20cc08e6afb2b7", marker, "handle_payload"),
      close(dec, 39 + 3999.328, "bbbbbbbbbbbbbbbb", 3795, 3995533, "5c20cc08e6afb2b7"),
      close(fe, 4040.202, "5c20cc08e6afb2b7", 18101, 4022101),
    ];
    const t = assembleTrace(TRACE, records, serviceOf);
    assert.is(t.roots.length, 1);
    const root = t.roots[0] as Span;
    assert.equal(
      [root.name, root.durationUs, root.busyUs, root.idleUs],
      ["http-request", 4040202, 18101, 4022101],
    );
    assert.equal(
      root.children.map((c) => [c.service, c.durationUs, c.busyUs, c.idleUs]),
      [
        ["prefill", 36954, 614, 36340],
        ["decode", 3999328, 3795, 3995533],
      ],
    );
    assert.equal(t.services, ["frontend", "prefill", "decode"]);
    assert.is(t.endUs - t.startUs, 4040202);
    assert.ok(
      t.spans.every((s) => s.critical),
      "prefill ends before decode starts: all critical",
    );
    assert.is(t.depth, 2);
  }
});

test("a span never closed is open and ends at its last record", () => {
  const t = assembleTrace(
    TRACE,
    [open(dec, 0, "a1"), rec(dec, 500, "a1"), rec(dec, 800, "a1")],
    serviceOf,
  );
  const s = t.spans[0] as Span;
  assert.ok(s.flags.has("open"));
  assert.not.ok(s.closed);
  assert.is(s.endUs - s.startUs, 800_000);
  assert.is(s.durationUs, null);
});

test("only SPAN_CLOSED survived: start is close minus duration", () => {
  const t = assembleTrace(TRACE, [close(fe, 100, "a1", 10, 90_000)], serviceOf);
  const s = t.spans[0] as Span;
  assert.ok(s.flags.has("start-from-duration"));
  assert.is(s.endUs - s.startUs, 90_010);
});

test("a parent in a log that was not given: a root, parent id kept", () => {
  const t = assembleTrace(
    TRACE,
    [open(dec, 0, "c1", "ffffffffffffffff"), close(dec, 5, "c1", 1, 2, "ffffffffffffffff")],
    serviceOf,
  );
  const s = t.roots[0] as Span;
  assert.is(s.parentId, "ffffffffffffffff");
  assert.ok(s.flags.has("orphan"));
});

test("events with no markers at all: the span is inferred from its events", () => {
  const t = assembleTrace(
    TRACE,
    [rec(fe, 10, "e1"), rec(fe, 30, "e1", { level: "ERROR" })],
    serviceOf,
  );
  const s = t.spans[0] as Span;
  assert.ok(s.flags.has("inferred"));
  assert.not.ok(s.flags.has("open"));
  assert.is(s.endUs - s.startUs, 20_000);
  assert.is(s.errors, 1);
});

test("duplicate span ids: separate spans, flagged", () => {
  const records = [
    open(fe, 0, "d1"),
    close(fe, 5, "d1", 1, 1),
    open(fe, 10, "d1"),
    close(fe, 20, "d1", 1, 1),
    open(dec, 2, "d1"),
    close(dec, 3, "d1", 1, 1),
  ];
  const t = assembleTrace(TRACE, records, serviceOf);
  assert.is(t.spans.length, 3);
  assert.ok(t.spans.every((s) => s.flags.has("duplicate-id")));
});

test("parent cycles are cut, without hanging", () => {
  const records = [
    open(fe, 0, "a", "b"),
    open(fe, 1, "b", "c"),
    open(fe, 2, "c", "a"),
    open(fe, 3, "x", "x"),
  ];
  const t = assembleTrace(TRACE, records, serviceOf);
  assert.is(t.spans.length, 4);
  assert.ok(t.roots.length >= 2);
  assert.ok(t.spans.some((s) => s.flags.has("cycle")));
});

test("several roots, and clock skew between hosts", () => {
  const records = [
    open(fe, 100, "r1", "", "SPAN_CREATED", "http-request"),
    close(fe, 200, "r1", 1, 99_999),
    open(dec, 90, "k1", "r1"),
    close(dec, 150, "k1", 1, 59_999, "r1"),
    open(fe, 300, "r2", "", "SPAN_CREATED", "http-request"),
  ];
  const t = assembleTrace(TRACE, records, serviceOf);
  assert.is(t.roots.length, 2);
  assert.ok(byId(t.spans, "k1").flags.has("skew"), "child starts 10 ms before its parent");
});

// The main thread's stack holds about 11 400 frames of the simplest recursion and about 4 000 of a
// tree walk: 15 000 levels are past what any recursive pass over the tree could follow.
test("a 15 000-span chain (deeper than recursion could go) and a span with 15 000 children", () => {
  const n = 15_000;
  const chain: LogRecord[] = [];
  for (let i = 0; i < n; i++) chain.push(open(fe, i * 0.001, `c${i}`, i > 0 ? `c${i - 1}` : ""));
  const deep = assembleTrace(TRACE, chain, serviceOf);
  assert.is(deep.depth, n);
  const wide: LogRecord[] = [open(fe, 0, "root")];
  for (let i = 0; i < n; i++) wide.push(open(fe, 1, `w${i}`, "root"));
  const flat = assembleTrace(TRACE, wide, serviceOf);
  assert.is(flat.roots[0]?.children.length, n);
});

test("critical path skips children that overlap the one taken", () => {
  const records = [
    open(fe, 0, "root"),
    open(fe, 10, "a", "root"),
    close(fe, 50, "a", 1, 1, "root"),
    open(fe, 20, "b", "root"),
    close(fe, 40, "b", 1, 1, "root"),
    open(fe, 60, "c", "root"),
    close(fe, 90, "c", 1, 1, "root"),
    close(fe, 100, "root", 1, 1),
  ];
  const t = assembleTrace(TRACE, records, serviceOf);
  assert.equal(
    t.spans
      .filter((s) => s.critical)
      .map((s) => s.spanId)
      .sort(),
    ["a", "c", "root"],
  );
});

test("exact nearest-rank percentiles", () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(
    [
      percentile(values, 50),
      percentile(values, 90),
      percentile(values, 99),
      percentile(values, 100),
    ],
    [50, 90, 99, 100],
  );
  assert.equal([percentile([7], 50), percentile([1, 2], 50), percentile([1, 2], 99)], [7, 1, 2]);
  assert.ok(Number.isNaN(percentile([], 50)));
});

/** A request whose decode worker died (its span never closes) and whose prefill logged an error. */
function diedRequest(): LogRecord[] {
  return [
    open(fe, 0, "r0", "", "SPAN_CREATED", "http-request"),
    open(pre, 1, "p0", "r0", "SPAN_CREATED", "handle_payload"),
    rec(pre, 2, "p0", { level: "ERROR", span_name: "handle_payload" }, "r0"),
    close(pre, 40, "p0", 100, 38_900, "r0"),
    open(dec, 41, "d0", "r0", "SPAN_CREATED", "handle_payload"),
    rec(dec, 900, "d0", { span_name: "handle_payload" }, "r0"),
    close(fe, 1000, "r0", 500, 999_500),
  ];
}

test("every consumer projects the same model: trace, traces, stats, tail --traces, validate", () => {
  const records = diedRequest();
  const trace = assembleTrace(TRACE, records, serviceOf);
  assert.is(trace.root?.spanId, "r0");
  assert.equal(
    [trace.durationUs, trace.durationLowerBound, trace.open, trace.errors],
    [1_000_000, false, 1, 1],
  );
  const summaries = new TraceSummaries(serviceOf);
  for (const r of records) summaries.add(r);
  const [row] = summaries.rows();
  assert.equal(
    [row?.durationUs, row?.spanCount, row?.openSpans, row?.errors, row?.services],
    [trace.durationUs, trace.spans.length, trace.open, trace.errors, trace.services],
  );
  const stats = summaries.statistics();
  assert.equal(
    stats.map((r) => [r.service, r.name, r.count]).sort(),
    [
      ["frontend", "http-request", 1],
      ["prefill", "handle_payload", 1],
    ],
    "the open decode span has no duration to count",
  );
  const live = new LiveTraces(10, 1000, serviceOf);
  for (const r of records) live.add(r, 0);
  const [digest] = live.due(Number.POSITIVE_INFINITY);
  assert.equal(
    [digest?.durationUs, digest?.open, digest?.errors, digest?.rootService],
    [1_000_000, [["decode", "handle_payload"]], 1, "frontend"],
  );
  const problems: string[] = [];
  const checker = new SpanChecker((_place, kind) => problems.push(kind));
  for (const r of records) checker.observe(r);
  for (const index of [0, 1, 2]) checker.endSource(index);
  checker.end();
  assert.equal(problems, ["span open at end of log"]);
});

test("without span events: spans inferred, the request's duration a lower bound everywhere", () => {
  const records = diedRequest().filter((r) => r.marker === null);
  records.push(
    rec(fe, 5, "r0", { span_name: "http-request" }),
    rec(fe, 990, "r0", { span_name: "http-request" }),
  );
  const trace = assembleTrace(TRACE, records, serviceOf);
  assert.is(trace.inferred, 3);
  assert.is(trace.root?.spanId, "r0", "the span without a parent id is the root");
  assert.equal([trace.durationUs, trace.durationLowerBound], [985_000, true]);
  const summaries = new TraceSummaries(serviceOf);
  for (const r of records) summaries.add(r);
  assert.equal(summaries.spanCounts(), { spans: 3, inferred: 3 });
  const [row] = summaries.rows();
  assert.equal([row?.durationUs, row?.durationLowerBound, row?.inferredSpans], [985_000, true, 3]);
  const stats = summaries.statistics();
  assert.ok(stats.every((s) => s.inferred === s.count && s.count === 1));
});

test("the request's root: the earliest span without a parent id, not an earlier orphan", () => {
  const records = [
    open(dec, 0, "o1", "ffffffffffffffff"),
    close(dec, 50, "o1", 1, 49_999, "ffffffffffffffff"),
    open(fe, 10, "r1", "", "SPAN_CREATED", "http-request"),
    close(fe, 30, "r1", 1, 19_999),
  ];
  const trace = assembleTrace(TRACE, records, serviceOf);
  assert.is(trace.root?.spanId, "r1");
  assert.is(trace.durationUs, 20_000);
  const summaries = new TraceSummaries(serviceOf);
  for (const r of records) summaries.add(r);
  assert.is(summaries.rows()[0]?.root, "http-request");
});

test("the same span id in two inputs: two spans, in every consumer", () => {
  const records = [
    open(fe, 0, "s1"),
    open(dec, 1, "s1"),
    close(fe, 5, "s1", 1, 1),
    close(dec, 6, "s1", 1, 1),
  ];
  assert.is(assembleTrace(TRACE, records, serviceOf).spans.length, 2);
  const summaries = new TraceSummaries(serviceOf);
  for (const r of records) summaries.add(r);
  assert.is(summaries.rows()[0]?.spanCount, 2);
  assert.is(summaries.rows()[0]?.openSpans, 0);
});

/** Records of several traces in every situation statistics meet, each input in input order. */
function statisticsRecords(): LogRecord[] {
  const other = { trace_id: "0123456789abcdef0123456789abcdef" };
  const third = { trace_id: "fedcba9876543210fedcba9876543210" };
  return [
    // frontend: a closed root, a span closed twice (a duplicate id), a span its close only shows
    open(fe, 0, "r0", "", "SPAN_CREATED", "http-request"),
    rec(fe, 1, "d1", { level: "WARN" }, "r0"),
    close(fe, 2, "d1", 10, 990, "r0"),
    rec(fe, 3, "d1", {}, "r0"),
    close(fe, 4, "d1", 20, 980, "r0"),
    close(fe, 5, "c1", 7, 3, "r0"),
    close(fe, 50, "r0", 100, 49_900),
    // the same span id in two inputs: the frontend's closes while the decode's is still open
    open(fe, 60, "x1", "", "SPAN_CREATED", "shared"),
    open(dec, 61, "x1", "", "SPAN_CREATED", "shared"),
    close(fe, 62, "x1", 1, 1_999),
    // another trace: inferred spans (no markers), an open span, an ERROR record
    rec(pre, 10, "i1", { ...other, span_name: "inferred" }),
    rec(pre, 30, "i1", { ...other, span_name: "inferred", level: "ERROR" }),
    rec(pre, 31, "o1", { ...other, message: "SPAN_CREATED", span_name: "never-closed" }, "i1"),
    rec(pre, 40, "o1", { ...other, span_name: "never-closed" }, "i1"),
    rec(pre, 35, "i2", { ...third, span_name: "inferred" }),
    rec(pre, 45, "i2", { ...third, span_name: "inferred" }),
    // decode: the shared id's instance goes on after the frontend's closed
    rec(dec, 63, "x1", { span_name: "shared" }),
    close(dec, 70, "x1", 2, 8_998),
    open(dec, 71, "x1", "", "SPAN_CREATED", "shared"),
  ];
}

/** Statistics of the spans of the whole traces `keep` selects, from finished, linked spans. */
function statisticsOfFinishedSpans(records: LogRecord[], keep: (r: LogRecord) => boolean) {
  const traces = new Set(records.filter(keep).map((r) => r.traceId));
  const assembler = new TraceAssembler({ service: serviceOf });
  for (const r of records) if (traces.has(r.traceId)) assembler.add(r);
  return spanStatistics([...assembler.traces()].flatMap((t) => t.spans));
}

const byName = (a: SpanStats, b: SpanStats) =>
  a.service.localeCompare(b.service) || a.name.localeCompare(b.name);

test("streamed statistics (closed spans counted as they close) equal those of finished spans", () => {
  const records = statisticsRecords();
  const streamed = new TraceSummaries(serviceOf, { rows: false });
  for (const r of records) streamed.add(r);
  const kept = new TraceSummaries(serviceOf);
  for (const r of records) kept.add(r);
  assert.equal(streamed.spanCounts(), kept.spanCounts(), "the same instances, inferred alike");
  assert.equal(kept.spanCounts(), { spans: 10, inferred: 2 });
  const expected = statisticsOfFinishedSpans(records, () => true).sort(byName);
  assert.equal(streamed.statistics().sort(byName), expected);
  assert.equal(kept.statistics().sort(byName), expected);
  const names = expected.map((s) => [s.service, s.name, s.count, s.inferred]);
  assert.equal(names, [
    ["decode", "shared", 1, 0],
    ["frontend", "http-request", 1, 0],
    ["frontend", "s", 3, 0],
    ["frontend", "shared", 1, 0],
    ["prefill", "inferred", 2, 2],
  ]);
});

test("statistics with a filter: the spans of the whole traces it selects, as finished spans", () => {
  const records = statisticsRecords();
  const errors = (r: LogRecord) => r.levelText === "ERROR";
  const filtered = new TraceSummaries(serviceOf, { rows: false, select: errors });
  for (const r of records) filtered.add(r);
  const stats = filtered.statistics().sort(byName);
  assert.equal(stats, statisticsOfFinishedSpans(records, errors).sort(byName));
  assert.equal(
    stats.map((s) => [s.name, s.count]),
    [["inferred", 1]],
    "the other trace's inferred span and the open span are not counted",
  );
});

test("past MAX_SUMMARY_SPANS a trace remembers no more spans, yet statistics take every close", () => {
  const records: LogRecord[] = [];
  for (let i = 0; i < MAX_SUMMARY_SPANS + 5; i++)
    records.push(close(fe, i, i.toString(16).padStart(16, "0"), 1, 1));
  const streamed = new TraceSummaries(serviceOf, { rows: false });
  const filtered = new TraceSummaries(serviceOf, { rows: false, select: () => true });
  const kept = new TraceSummaries(serviceOf);
  for (const r of records) {
    streamed.add(r);
    filtered.add(r);
    kept.add(r);
  }
  const all = { spans: MAX_SUMMARY_SPANS + 5, inferred: 0 };
  assert.equal(streamed.spanCounts(), all);
  assert.equal(filtered.spanCounts(), all);
  const counts = (s: TraceSummaries) => s.statistics().map((b) => [b.name, b.count]);
  assert.equal(counts(streamed), [["s", MAX_SUMMARY_SPANS + 5]]);
  assert.equal(counts(filtered), [["s", MAX_SUMMARY_SPANS + 5]]);
  // The same closes behind a span that waits (inferred): they go through the trace's entry.
  const waiting = new TraceSummaries(serviceOf, { rows: false });
  waiting.add(rec(fe, 0, "f".repeat(16), { span_name: "waiting" }));
  for (const r of records) waiting.add(r);
  assert.equal(waiting.spanCounts(), { spans: MAX_SUMMARY_SPANS + 6, inferred: 1 });
  assert.equal(counts(waiting), [
    ["s", MAX_SUMMARY_SPANS + 5],
    ["waiting", 1],
  ]);
  const row = kept.rows()[0];
  assert.is(row?.spanCount, MAX_SUMMARY_SPANS + 5);
  assert.ok(row?.spansCapped);
  assert.equal(
    [...(row?.spanNames ?? [])],
    [["s", MAX_SUMMARY_SPANS]],
    "names of those remembered",
  );
});

test("TraceAssembler: every trace of a run, whole, from records in input order", () => {
  const assembler = new TraceAssembler({ service: serviceOf });
  for (const r of diedRequest()) assembler.add(r);
  const traces = [...assembler.traces()];
  assert.is(traces.length, 1);
  assert.is(traces[0]?.spans.length, 3);
  assert.is(traces[0]?.spans.find((s) => s.spanId === "d0")?.records.length, 1);
});

test.run();
