/** `dynlog report` and `trace --format html` through the built CLI: the file, its data, its safety. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { PageData, ReportData } from "../../src/report/data-shape.js";
import { unpackRows } from "../../src/report/request-rows.js";
import { dynlog } from "../helpers/cli.js";
import { FIXTURES } from "../helpers/paths.js";
import { HOSTILE, hostileRequest, manyRequests, tempLog } from "../helpers/report-logs.js";

const SAMPLE = ["frontend", "prefill", "decode"].map((n) => `${FIXTURES}sample/${n}.jsonl`);

/** The JSON documents a report carries, its requests unpacked as the page unpacks them. */
function dataOf(html: string): PageData {
  const m = /<script type="application\/json" id="dynlog-data">([^<]*)<\/script>/.exec(html);
  const t = /<script type="application\/json" id="dynlog-traces">([^<]*)<\/script>/.exec(html);
  assert.ok(m && t, "the report carries its data elements");
  const data = JSON.parse(m[1] as string) as ReportData;
  return { ...data, rows: unpackRows(data.rows), traces: JSON.parse(t[1] as string) };
}

function reportOf(args: string[]): { html: string; data: PageData } {
  const run = dynlog(["report", "-o", "-", ...args], { timeoutMs: 60000 });
  assert.is(run.status, 0, run.stderr);
  return { html: run.stdout, data: dataOf(run.stdout) };
}

interface TraceRowJson {
  trace_id: string;
  x_request_id: string | null;
  duration_us: number;
  span_count: number;
  services: string[];
  root: string;
  uri: string | null;
  warnings: number;
  errors: number;
  open: boolean;
}

test("report -o writes the file and names it on stdout", () => {
  const out = join(dirname(tempLog("x", "")), "report.html");
  const run = dynlog(["report", "-o", out, ...SAMPLE]);
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, /report\.html: [\d.]+ MB, 25 requests \(25 in detail\)/);
  const html = readFileSync(out, "utf8");
  assert.ok(html.startsWith("<!doctype html>"));
  assert.is(dataOf(html).rows.traceId.length, 25);
});

test("the report's requests are the rows of traces --format json", () => {
  const { data } = reportOf(SAMPLE);
  const rows = JSON.parse(
    dynlog(["traces", "--format", "json", ...SAMPLE]).stdout,
  ) as TraceRowJson[];
  assert.is(data.rows.traceId.length, rows.length);
  for (const row of rows) {
    const i = data.rows.traceId.indexOf(row.trace_id);
    assert.ok(i >= 0, row.trace_id);
    assert.is(data.rows.duration[i], row.duration_us, row.trace_id);
    assert.is(data.rows.requestId[i] || null, row.x_request_id);
    assert.is(data.rows.spans[i], row.span_count);
    assert.is(data.rows.errors[i], row.errors);
    assert.is(data.rows.warnings[i], row.warnings);
    assert.is(data.rows.open[i], row.open);
    assert.is(data.rows.root[i], row.root);
    assert.equal(
      (data.rows.services[i] as number[]).map((s) => data.services[s]),
      row.services,
    );
  }
});

test("the report's per-span-name numbers are those of stats --format json", () => {
  const { data } = reportOf(SAMPLE);
  const stats = JSON.parse(dynlog(["stats", "--format", "json", ...SAMPLE]).stdout) as {
    service: string;
    name: string;
    count: number;
    p50_us: number;
    p90_us: number;
    p99_us: number;
    max_us: number;
    busy_mean_us: number | null;
    idle_mean_us: number | null;
  }[];
  assert.equal(
    data.stats.map((s) => [
      s.service,
      s.name,
      s.count,
      s.p50,
      s.p90,
      s.p99,
      s.max,
      s.busyMean,
      s.idleMean,
    ]),
    stats.map((s) => [
      s.service,
      s.name,
      s.count,
      s.p50_us,
      s.p90_us,
      s.p99_us,
      s.max_us,
      s.busy_mean_us,
      s.idle_mean_us,
    ]),
  );
  for (const s of data.stats) {
    assert.is(
      s.histogram.count.reduce((a, b) => a + b, 0),
      s.count,
    );
  }
});

interface SpanJsonLite {
  span_id: string;
  duration_us: number | null;
  busy_us: number | null;
  idle_us: number | null;
  critical: boolean;
  flags: string[];
  children: SpanJsonLite[];
}

function flatten(spans: SpanJsonLite[]): SpanJsonLite[] {
  return spans.flatMap((s) => [s, ...flatten(s.children)]);
}

test("a detailed request's spans are those of trace --format json, and so is trace --format html", () => {
  const { data } = reportOf(SAMPLE);
  const id = "b8359cec";
  const json = JSON.parse(dynlog(["trace", id, "--format", "json", ...SAMPLE]).stdout) as {
    trace_id: string;
    roots: SpanJsonLite[];
  };
  const expected = flatten(json.roots).map((s) => [
    s.span_id,
    s.duration_us,
    s.busy_us,
    s.idle_us,
    s.critical,
    s.flags,
  ]);
  const inReport = data.traces.find((t) => t.traceId === json.trace_id);
  assert.ok(inReport);
  const got = (t: typeof inReport) =>
    t.spans.map((s) => [s.id, s.duration, s.busy, s.idle, s.critical, s.flags]);
  assert.equal(got(inReport), expected);
  const page = dynlog(["trace", id, "--format", "html", ...SAMPLE]);
  assert.is(page.status, 0, page.stderr);
  const single = dataOf(page.stdout);
  assert.is(single.rows.traceId.length, 1);
  assert.equal(got(single.traces[0] as typeof inReport), expected);
});

test("--detail N keeps the N slowest requests and every one with an error or open span", () => {
  const path = tempLog("many.jsonl", manyRequests(40));
  const { data } = reportOf(["--detail", "5", path]);
  const detailed = data.rows.traceId.filter((_, i) => (data.rows.detail[i] as number) >= 0);
  const slowest = data.rows.traceId
    .map((id, i) => [id, data.rows.duration[i] as number] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([id]) => id);
  const withErrors = data.rows.traceId.filter((_, i) => (data.rows.errors[i] as number) > 0);
  assert.equal(new Set(detailed), new Set([...slowest, ...withErrors]));
  assert.is(data.traces.length, detailed.length);
});

test("a bad --detail is a usage error, an unwritable output a failure", () => {
  const bad = dynlog(["report", "--detail", "-3", ...SAMPLE]);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /--detail '-3'/);
  const dir = dirname(tempLog("x", ""));
  const unwritable = dynlog(["report", "-o", join(dir, "missing", "r.html"), ...SAMPLE]);
  assert.is(unwritable.status, 1);
  assert.match(unwritable.stderr, /no such file or directory/);
});

test("an unreadable input is reported and the others still make the report, exit 1", () => {
  const run = dynlog(["report", "-o", "-", `${FIXTURES}sample/missing.jsonl`, ...SAMPLE]);
  assert.is(run.status, 1);
  assert.match(run.stderr, /missing\.jsonl: no such file or directory/);
  assert.is((run.stderr.match(/missing\.jsonl/g) ?? []).length, 1, "reported once");
  assert.is(dataOf(run.stdout).rows.traceId.length, 25);
});

test("the report of stdin equals the report of the same file", () => {
  const text = readFileSync(SAMPLE[0] as string, "utf8");
  const fromStdin = dynlog(["report", "-o", "-", "-"], { input: text });
  assert.is(fromStdin.status, 0, fromStdin.stderr);
  const a = dataOf(fromStdin.stdout);
  const b = reportOf([SAMPLE[0] as string]).data;
  assert.equal(a.rows, b.rows);
  assert.is(a.traces.length, b.traces.length);
});

test("hostile log content stays inside the data element, escaped, and comes back intact", () => {
  const path = tempLog("hostile.jsonl", hostileRequest());
  const { html, data } = reportOf([path]);
  let outside = html;
  for (const id of ["dynlog-data", "dynlog-traces"]) {
    const m = new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`).exec(html);
    const inline = (m as RegExpExecArray)[1] as string;
    assert.not.match(inline, /[<>&\u2028\u2029]/);
    outside = outside.replace(inline, "");
  }
  for (const h of HOSTILE) assert.not.ok(outside.includes(h), `markup outside the data: ${h}`);
  assert.is((html.match(/<script/g) ?? []).length, 3);
  const trace = data.traces[0];
  assert.ok(trace);
  const names = trace.spans.map((s) => s.name);
  assert.equal(names, [HOSTILE[0], HOSTILE[1]]);
  const messages = trace.spans.flatMap((s) => s.records.map((r) => r[3]));
  assert.equal(messages, HOSTILE);
});

test("the Content-Security-Policy allows no network and only the page's own script and style", () => {
  const { html } = reportOf(SAMPLE);
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? "";
  assert.match(csp, /^default-src 'none'; /);
  assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+';/);
  assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/=]+';/);
  assert.not.match(csp, /unsafe|https?:|\*/);
});

test.run();
