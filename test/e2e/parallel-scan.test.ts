/**
 * `trace` searching with worker threads finds exactly what the single-threaded search finds:
 * DYNLOG_THREADS forces the threads on small inputs, so ranges are 16 KiB and lines cross
 * their boundaries.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type CliResult, dynlog, dynlogBatch } from "../helpers/cli.js";
import { FIXTURES, scratchDir } from "../helpers/paths.js";

const SAMPLE = ["frontend", "prefill", "decode"].map((n) => `${FIXTURES}sample/${n}.jsonl`);

/** Each command line run without worker threads and with two (those in one child process). */
function both(runs: string[][]) {
  const threaded = dynlogBatch(runs.map((args) => ({ args, env: { DYNLOG_THREADS: "2" } })));
  return runs.map((args, i) => ({
    single: dynlog(args, { env: { DYNLOG_THREADS: "0" } }),
    threaded: threaded[i] as CliResult,
  }));
}

const IDS = [
  "b8359cecb93ee3314f1b2074a5c57ce2",
  "b8359cec",
  "666eab89-48dd-4a43-9a9c-1468c6724682",
  "e35551ace0366f10a22df83718cd57bb",
  "ffffffffffffffffffffffffffffffff",
];

test("trace by full id, prefix, request id and unknown id: the same with and without worker threads", () => {
  const runs = both(IDS.map((id) => ["trace", "--logs", "--color", "never", id, ...SAMPLE]));
  runs.forEach(({ single, threaded }, i) => {
    const id = IDS[i];
    assert.ok(single.stdout.length > 0 || single.status === 1, `${id}: ${single.stderr}`);
    assert.is(threaded.stdout, single.stdout, `${id}`);
    assert.is(threaded.stderr, single.stderr, `${id}`);
    assert.is(threaded.status, single.status, `${id}`);
  });
});

test("lines longer than a range, CRLF endings, a last line without newline, a missing file", () => {
  const dir = scratchDir("pscan");
  const id = "0123456789abcdef0123456789abcdef";
  const line = (i: number, pad: number) =>
    `{"time":"2025-01-01T00:00:0${i}.000000Z","level":"INFO","target":"t","message":"SPAN_CLOSED","span_id":"${i}","trace_id":"${id}","span_name":"s${i}","time.busy_us":1,"time.idle_us":1,"time.duration_us":2,"pad":"${"x".repeat(pad)}"}`;
  const filler = `{"level":"INFO","target":"t","message":"${"y".repeat(300_000)}"}`;
  const path = join(dir, "long.jsonl");
  writeFileSync(
    path,
    [filler, line(1, 200_000), filler, `${line(2, 10)}\r`, line(3, 70_000)].join("\n"),
  );
  const args = ["trace", "--format", "json", id, path, join(dir, "absent.jsonl")];
  const [{ single, threaded }] = both([args]) as [ReturnType<typeof both>[number]];
  assert.is(single.status, 1, "the missing file is reported");
  assert.match(single.stderr, /absent\.jsonl: no such file or directory/);
  assert.equal(
    [...single.stdout.matchAll(/"span_id": ?"(\d)"/g)].map((m) => m[1]),
    ["1", "2", "3"],
  );
  assert.is(threaded.stdout, single.stdout);
  assert.is(threaded.stderr, single.stderr);
});

test.run();
