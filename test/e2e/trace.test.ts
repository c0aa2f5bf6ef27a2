/** `dynlog trace`, `traces` and `stats` driven through the built CLI. */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { SpanJson } from "../../src/render/trace-json.js";
import { dynlog } from "../helpers/cli.js";
import { matchGolden } from "../helpers/golden.js";
import { FIXTURES, ROOT, scratchDir } from "../helpers/paths.js";

const DOC = `${FIXTURES}doc-example/`;
const SAMPLE = `${FIXTURES}sample/`;
const files = (dir: string) => ["frontend", "prefill", "decode"].map((n) => `${dir}${n}.jsonl`);

for (const generation of ["created", "first-entry"]) {
  test(`the documented request is rebuilt from three logs (${generation})`, () => {
    const run = dynlog(["trace", "b672ccf4", ...files(`${DOC}${generation}/`), "--format", "json"]);
    assert.is(run.status, 0, run.stderr);
    const trace = JSON.parse(run.stdout) as {
      trace_id: string;
      x_request_id: string;
      start: string;
      duration_us: number;
      span_count: number;
      services: string[];
      roots: SpanJson[];
    };
    assert.is(trace.trace_id, "b672ccf48683b392891c5cb4163d4b51");
    assert.is(trace.x_request_id, "8372eac7-5f43-4d76-beca-0a94cfb311d0");
    assert.is(trace.start, "2025-10-31T13:52:10.706000Z");
    assert.is(trace.duration_us, 4040202);
    assert.is(trace.span_count, 3);
    assert.equal(trace.services, ["frontend", "prefill", "decode"]);
    assert.is(trace.roots.length, 1);
    const root = trace.roots[0] as SpanJson;
    assert.equal(
      [
        root.name,
        root.service,
        root.span_id,
        root.parent_id,
        root.duration_us,
        root.busy_us,
        root.idle_us,
      ],
      ["http-request", "frontend", "5c20cc08e6afb2b7", null, 4040202, 18101, 4022101],
    );
    assert.equal([root.attributes.method, root.attributes.uri], ["POST", "/v1/chat/completions"]);
    assert.equal(
      root.children.map((c) => [
        c.service,
        c.name,
        c.parent_id,
        c.start,
        c.duration_us,
        c.busy_us,
        c.idle_us,
        c.attributes.component,
      ]),
      [
        [
          "prefill",
          "handle_payload",
          "5c20cc08e6afb2b7",
          "2025-10-31T13:52:10.707000Z",
          36954,
          614,
          36340,
          "prefill",
        ],
        [
          "decode",
          "handle_payload",
          "5c20cc08e6afb2b7",
          "2025-10-31T13:52:10.745000Z",
          3999328,
          3795,
          3995533,
          "backend",
        ],
      ],
    );
  });
}

test("waterfall golden, without and with colour", () => {
  const plain = dynlog(["trace", "b672ccf4", ...files(`${DOC}created/`), "--width", "110"]);
  assert.is(plain.status, 0, plain.stderr);
  matchGolden("doc-trace-waterfall.txt", plain.stdout);
  const color = dynlog([
    "trace",
    "b672ccf4",
    ...files(`${DOC}created/`),
    "--width",
    "110",
    "--color",
    "always",
  ]);
  matchGolden("doc-trace-waterfall-color.txt", color.stdout);
  assert.match(color.stdout, /\x1b\[/);
  assert.not.match(plain.stdout, /\x1b/);
});

test("tree, --logs and --details", () => {
  const tree = dynlog([
    "trace",
    "b672ccf48683b392891c5cb4163d4b51",
    ...files(`${DOC}first-entry/`),
    "--format",
    "tree",
    "--logs",
    "--details",
  ]);
  assert.is(tree.status, 0, tree.stderr);
  matchGolden("doc-trace-tree-logs-details.txt", tree.stdout);
  assert.match(tree.stdout, /Registering new TcpStream on 10\.0\.4\.65:41959/);
  assert.match(tree.stdout, /instance_id\s+│ 3866790875219207263/);
});

test("looking up by x_request_id finds the same trace, also on stdin", () => {
  const byTrace = dynlog([
    "trace",
    "b672ccf4",
    ...files(`${DOC}created/`),
    "--format",
    "json",
  ]).stdout;
  const byRequest = dynlog([
    "trace",
    "8372eac7-5f43-4d76-beca-0a94cfb311d0",
    ...files(`${DOC}created/`),
    "--format",
    "json",
  ]);
  assert.is(byRequest.status, 0, byRequest.stderr);
  assert.is(byRequest.stdout, byTrace);
  const input = files(`${DOC}created/`)
    .map((f) => readFileSync(f, "utf8"))
    .join("");
  const stdin = dynlog(["trace", "8372eac7-5f43-4d76-beca-0a94cfb311d0", "--format", "json"], {
    input,
  });
  assert.is(stdin.status, 0, stdin.stderr);
  assert.is((JSON.parse(stdin.stdout) as { span_count: number }).span_count, 3);
});

test("bin/dynlog searching on threads (a worker and the main thread) finds what one thread finds", () => {
  // The sample files are cut into 16 KiB ranges when threads are forced. The bundled scan worker
  // is handed the first range (where the first request's records are) and the main thread
  // searches the next ones while it starts: each finds some of a request's records, by trace id
  // and, in two passes, by request id.
  for (const [id, traceId] of [
    ["7af4d48c", "7af4d48c"],
    ["666eab89-48dd-4a43-9a9c-1468c6724682", "7af4d48c"],
    ["b8359cec", "b8359cec"],
    ["2a8bf4ce-3ae2-4994-ba45-610cde61ac4b", "b8359cec"],
  ] as const) {
    const args = ["trace", id, ...files(SAMPLE), "--logs", "--format", "json"];
    const threaded = dynlog(args, { process: true, env: { DYNLOG_THREADS: "2" } });
    const single = dynlog(args, { env: { DYNLOG_THREADS: "0" } });
    assert.is(threaded.status, 0, threaded.stderr);
    assert.is(threaded.stderr, "");
    assert.is(threaded.stdout, single.stdout, id);
    assert.ok(threaded.stdout.includes(`"trace_id": "${traceId}`), id);
  }
});

test("no match and ambiguous prefixes exit 1 with a message", () => {
  const none = dynlog(["trace", "deadbeefdead", ...files(`${DOC}created/`)]);
  assert.is(none.status, 1);
  assert.match(none.stderr, /no trace matches 'deadbeefdead'/);
  const dir = scratchDir("trace");
  const lines = ["abcdef0000000000000000000000000a", "abcdef0000000000000000000000000b"].map(
    (t, i) =>
      `{"time":"2025-01-01T00:00:0${i}Z","level":"INFO","target":"t","message":"SPAN_CREATED","span_id":"000000000000000${i}","span_name":"s","trace_id":"${t}"}`,
  );
  writeFileSync(join(dir, "two.jsonl"), `${lines.join("\n")}\n`);
  const ambiguous = dynlog(["trace", "abcdef", join(dir, "two.jsonl")]);
  assert.is(ambiguous.status, 1);
  assert.match(ambiguous.stderr, /'abcdef' matches 2 traces/);
  assert.match(ambiguous.stderr, /abcdef0000000000000000000000000a/);
  assert.match(ambiguous.stderr, /abcdef0000000000000000000000000b/);
  assert.is(ambiguous.stdout, "");
});

test("the sample's planted oddities show in the waterfall", () => {
  const open = dynlog(["trace", "2b7ad03b", ...files(SAMPLE)]);
  assert.match(open.stdout, /▒/);
  assert.match(open.stdout, / open\n/);
  const orphan = dynlog(["trace", "82775d19", ...files(SAMPLE)]);
  assert.match(orphan.stdout, /start = close - duration/);
  const error = dynlog(["trace", "b8359cec", ...files(SAMPLE)]);
  assert.match(error.stdout, /1 error/);
  const lost = dynlog(["trace", "82775d19", `${SAMPLE}decode.jsonl`, "--format", "tree"]);
  assert.match(lost.stdout, /orphan: parent/);
});

test("traces: one row per trace, sorted and limited; json shape", () => {
  const run = dynlog(["traces", ...files(SAMPLE), "--format", "json"]);
  assert.is(run.status, 0, run.stderr);
  const rows = JSON.parse(run.stdout) as {
    trace_id: string;
    duration_us: number;
    span_count: number;
    open: boolean;
    errors: number;
    services: string[];
    root: string;
    start: string;
    x_request_id: string | null;
  }[];
  assert.is(rows.length, 25);
  assert.ok(
    rows.every((r, i) => i === 0 || (rows[i - 1] as { start: string }).start <= r.start),
    "by start",
  );
  assert.is(rows.filter((r) => r.open).length, 1);
  assert.is(rows.filter((r) => r.errors > 0).length, 1);
  assert.is(rows.filter((r) => r.x_request_id === null).length, 4);
  assert.ok(rows.every((r) => r.root === "http-request"));
  const slow = JSON.parse(
    dynlog(["traces", ...files(SAMPLE), "--format", "json", "--sort", "duration", "--limit", "3"])
      .stdout,
  ) as typeof rows;
  assert.is(slow.length, 3);
  assert.ok(
    (slow[0] as { duration_us: number }).duration_us >=
      (slow[2] as { duration_us: number }).duration_us,
  );
  const list = dynlog(["traces", ...files(SAMPLE), "--limit", "2"]);
  assert.match(list.stdout, /^START +TRACE /);
  assert.is(list.stdout.trimEnd().split("\n").length, 3, "a heading and two rows");
  assert.match(list.stderr, /2 of 25 traces shown/);
});

test("stats: per service and span name", () => {
  const run = dynlog(["stats", ...files(SAMPLE), "--format", "json"]);
  assert.is(run.status, 0, run.stderr);
  const rows = JSON.parse(run.stdout) as {
    service: string;
    name: string;
    count: number;
    p50_us: number;
    p99_us: number;
    max_us: number;
  }[];
  assert.equal(
    rows.map((r) => `${r.service}/${r.name}`),
    ["decode/handle_payload", "frontend/http-request", "prefill/handle_payload"],
  );
  for (const r of rows) assert.ok(r.p50_us <= r.p99_us && r.p99_us <= r.max_us);
  const docStats = JSON.parse(
    dynlog(["stats", ...files(`${DOC}created/`), "--format", "json"]).stdout,
  ) as typeof rows;
  assert.equal(
    docStats.map((r) => [r.service, r.count, r.max_us]),
    [
      ["decode", 1, 3999328],
      ["frontend", 1, 4040202],
      ["prefill", 1, 36954],
    ],
  );
  matchGolden("sample-stats.txt", dynlog(["stats", ...files(SAMPLE)]).stdout);
});

test("large outputs reach a pipe whole (traces of a generated 4 MB log)", () => {
  const out = scratchDir("big");
  const made = spawnSync(
    process.execPath,
    [`${ROOT}dist/tools/gen-fixtures.js`, "--size", "4MB", "--out", out],
    { encoding: "utf8" },
  );
  assert.is(made.status, 0, made.stderr);
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as {
    requests: number;
  };
  // Through a shell pipe, as `dynlog traces ... | jq` runs: the reader is another process.
  const command = `"${process.execPath}" "${ROOT}bin/dynlog" traces --format json ${files(`${out}/`).join(" ")} | cat`;
  const run = spawnSync("sh", ["-c", command], { encoding: "utf8", maxBuffer: 1 << 26 });
  assert.is(run.status, 0, run.stderr);
  assert.ok(run.stdout.length > 100_000, "more than a pipe buffer");
  assert.is((JSON.parse(run.stdout) as unknown[]).length, manifest.requests);
});

test.run();
