/**
 * What an SRE asks `traces`, `stats` and `trace` (through the built CLI): selecting traces
 * (`--errors`, `--open`, `--min-duration`, `--service`, and `--filter`/`--where` selecting whole
 * traces), logs without span events (inferred spans, said on stderr), a too-short id prefix, the
 * request's duration in `trace`'s header with the clock skew beside it, `--logs` with the lines
 * that belong to a record (a traceback), `--format json --logs`,
 * `stats` counting every span of a trace past the 10 000 it remembers, and `tail --traces`
 * summaries naming errors, warnings and spans still open.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynlog } from "../helpers/cli.js";
import { FIXTURES, scratchDir } from "../helpers/paths.js";
import { withoutSpanEvents } from "../helpers/span-events.js";

const SAMPLE = ["frontend", "prefill", "decode"].map((c) => `${FIXTURES}sample/${c}.jsonl`);
/** The sample's request with an ERROR (decode), and the one whose decode worker died. */
const ERRORED = "b8359cecb93e";
const DIED = "2b7ad03b909a";
const dir = scratchDir("select");

interface Row {
  trace_id: string;
  duration_us: number;
  duration_is_lower_bound: boolean;
  span_count: number;
  services: string[];
  root: string;
  errors: number;
  open: boolean;
  inferred: boolean;
}

function rows(args: string[]): Row[] {
  const run = dynlog(["traces", "--format", "json", ...args]);
  assert.is(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Row[];
}

const ids = (list: Row[]) => list.map((r) => r.trace_id.slice(0, 12));

test("traces --errors and --open select the failed requests", () => {
  assert.equal(ids(rows(["--errors", ...SAMPLE])), [ERRORED]);
  assert.equal(ids(rows(["--open", ...SAMPLE])), [DIED]);
});

test("traces --min-duration and --service select by the request's duration and services", () => {
  const all = rows(SAMPLE);
  const slow = rows(["--min-duration", "3s", ...SAMPLE]);
  assert.ok(slow.length > 0 && slow.length < all.length, `${slow.length} of ${all.length}`);
  assert.ok(slow.every((r) => r.duration_us >= 3_000_000));
  const both = all.filter((r) => r.duration_us >= 2_000_000 && r.services.includes("decode"));
  const picked = rows(["--min-duration", "2s", "--service", "decode", ...SAMPLE]);
  assert.equal(ids(picked), ids(both));
  assert.ok(both.length < all.length);
  assert.is(rows(["--service", "nosuch", ...SAMPLE]).length, 0);
  const bad = dynlog(["traces", "--min-duration", "soon", ...SAMPLE]);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /--min-duration 'soon': expected a duration/);
});

test("traces --where selects traces by a record and shows each whole", () => {
  const [row, ...more] = rows([...SAMPLE, "--where", "level=ERROR"]);
  assert.is(more.length, 0);
  assert.is(row?.trace_id.slice(0, 12), ERRORED);
  assert.is(row?.root, "http-request");
  assert.is(row?.span_count, 3);
  assert.ok((row?.duration_us ?? 0) > 0);
  assert.equal(row?.services, ["frontend", "prefill", "decode"]);
});

test("traces and stats without span events: inferred spans, lower bounds, a note naming the setting", () => {
  const bare = withoutSpanEvents(SAMPLE, dir);
  const table = dynlog(["traces", "--wide", ...bare]);
  assert.is(table.status, 0, table.stderr);
  assert.is(table.stdout.trimEnd().split("\n").length, 1 + 25, "a heading and 25 rows");
  assert.match(table.stdout, /≥\d/);
  assert.match(table.stdout, /inferred/);
  assert.match(table.stderr, /DYN_LOGGING_SPAN_EVENTS/);
  assert.match(table.stderr, /inferred from their records/);
  const json = rows(bare);
  assert.ok(json.every((r) => r.inferred && r.duration_is_lower_bound && r.span_count === 3));
  const stats = dynlog(["stats", ...bare]);
  assert.is(stats.status, 0, stats.stderr);
  assert.match(stats.stdout, /handle_payload/);
  assert.match(stats.stdout, /≥/);
  assert.match(stats.stderr, /DYN_LOGGING_SPAN_EVENTS/);
  const piped = dynlog(["traces", "--format", "json", "-"], {
    input: Buffer.concat(bare.map((p) => readFileSync(p))),
  });
  assert.is((JSON.parse(piped.stdout) as Row[]).length, 25, "standard input, read once");
});

test("stats counts every closed span of a trace past its 10 000 remembered, filtered or not", () => {
  const trace = "c105ed".repeat(5).padEnd(32, "0");
  const closes = Array.from({ length: 10_005 }, (_, i) => {
    const us = String(i).padStart(6, "0");
    const span = (i + 1).toString(16).padStart(16, "0");
    return `{"time":"2025-11-04T09:12:01.${us}Z","level":"INFO","target":"t","message":"SPAN_CLOSED","span_id":"${span}","span_name":"step","trace_id":"${trace}","time.busy_us":1,"time.idle_us":2,"time.duration_us":3}`;
  });
  const file = join(dir, "crowded.jsonl");
  writeFileSync(file, `${closes.join("\n")}\n`);
  for (const args of [[], ["--where", "level=INFO"]]) {
    const run = dynlog(["stats", "--format", "json", ...args, file]);
    assert.is(run.status, 0, run.stderr);
    const counts = (JSON.parse(run.stdout) as { name: string; count: number }[]).map((s) => [
      s.name,
      s.count,
    ]);
    assert.equal(counts, [["step", 10_005]], args.join(" ") || "no filter");
  }
  const [row] = rows([file]);
  assert.is(row?.span_count, 10_005);
});

test("traces on logs with no span ids at all says why it lists nothing", () => {
  const plain = join(dir, "plain.jsonl");
  writeFileSync(
    plain,
    '{"time":"2025-01-01T00:00:00Z","level":"INFO","target":"t","message":"hello"}\n',
  );
  const run = dynlog(["traces", plain]);
  assert.is(run.status, 0);
  assert.is(run.stdout, "", "no list, not even a heading");
  assert.match(run.stderr, /no spans: no record carries a span_id/);
});

test("trace: an id prefix shorter than 6 hex digits is a usage error that says so", () => {
  const run = dynlog(["trace", "b8359", ...SAMPLE]);
  assert.is(run.status, 2);
  assert.match(run.stderr, /at least 6 hex digits/);
  assert.is(run.stdout, "");
});

/** A request of 4.04 s whose decode host's clock runs 10 s ahead. */
function skewedLogs(): string[] {
  const trace = "b672ccf48683b392891c5cb4163d4b51";
  const line = (t: string, message: string, span: string, parent: string, extra = "") =>
    `{"time":"2025-10-31T13:52:${t}Z","level":"DEBUG","target":"t","message":"${message}",${parent ? `"parent_id":"${parent}",` : ""}"span_id":"${span}","span_name":"${span === "1111111111111111" ? "http-request" : "handle_payload"}","trace_id":"${trace}"${extra}}`;
  const fe = join(dir, "skew-frontend.jsonl");
  const de = join(dir, "skew-decode.jsonl");
  writeFileSync(
    fe,
    [
      line("10.000000", "SPAN_CREATED", "1111111111111111", ""),
      line(
        "14.040000",
        "SPAN_CLOSED",
        "1111111111111111",
        "",
        ',"time.busy_us":40000,"time.idle_us":4000000,"time.duration_us":4040000',
      ),
    ].join("\n"),
  );
  writeFileSync(
    de,
    [
      line("20.040000", "SPAN_CREATED", "2222222222222222", "1111111111111111"),
      line("20.100000", "request cancelled", "2222222222222222", "1111111111111111").replace(
        "DEBUG",
        "ERROR",
      ),
      "Traceback (most recent call last):",
      line(
        "24.000000",
        "SPAN_CLOSED",
        "2222222222222222",
        "1111111111111111",
        ',"time.busy_us":1000,"time.idle_us":3959000,"time.duration_us":3960000',
      ),
    ].join("\n"),
  );
  return [fe, de];
}

test("trace: the header's duration is the request's, the clock skew beside it", () => {
  const run = dynlog(["trace", "b672ccf4", "--format", "tree", ...skewedLogs()]);
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, /duration 4\.04s \(clock skew: spans reach 9\.96s after it\)/);
  assert.not.match(run.stdout, /duration 14\.00s/);
});

test("trace --format json --logs puts each span's records in the JSON", () => {
  const logs = skewedLogs();
  const plain = JSON.parse(dynlog(["trace", "b672ccf4", "--format", "json", ...logs]).stdout);
  assert.is(plain.duration_us, 4_040_000);
  assert.is(plain.roots[0].records, undefined);
  const run = dynlog(["trace", "b672ccf4", "--format", "json", "--logs", ...logs]);
  assert.is(run.status, 0, run.stderr);
  const decode = JSON.parse(run.stdout).roots[0].children[0];
  assert.is(decode.records.length, 2);
  assert.is(decode.records[0].message, "request cancelled");
  assert.is(decode.records[0].level, "ERROR");
  assert.equal(decode.records[1], { line: "Traceback (most recent call last):" });
});

test("trace --logs shows the traceback under the error it belongs to", () => {
  const run = dynlog(["trace", "b672ccf4", "--format", "tree", "--logs", ...skewedLogs()]);
  assert.is(run.status, 0, run.stderr);
  const lines = run.stdout.split("\n");
  const error = lines.findIndex((l) => l.includes("request cancelled"));
  assert.ok(error > 0, run.stdout);
  assert.match(lines[error + 1] ?? "", /^\s+Traceback \(most recent call last\):$/);
});

test("tail --traces: a summary names errors, warnings and the spans still open", () => {
  const run = dynlog(["tail", "--no-follow", "--traces", "-n", "100000", ...SAMPLE]);
  assert.is(run.status, 0, run.stderr);
  const died = run.stdout.split("\n").find((l) => l.startsWith(`── trace ${DIED}`)) ?? "";
  assert.match(died, /decode handle_payload still open/);
  assert.match(died, /1 warning/);
  const errored = run.stdout.split("\n").find((l) => l.startsWith(`── trace ${ERRORED}`)) ?? "";
  assert.match(errored, /1 error/);
});

test.run();
