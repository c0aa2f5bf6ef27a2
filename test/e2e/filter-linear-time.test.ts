/** No span-field pattern can stall a run: `--filter` value patterns run in linear time. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynlog } from "../helpers/cli.js";
import { scratchDir } from "../helpers/paths.js";

const dir = scratchDir("linear");

function record(x: string, message: string): string {
  return JSON.stringify({
    time: "2025-10-31T13:52:10.706000Z",
    level: "TRACE",
    target: "dynamo_runtime",
    message,
    x,
    span_id: "5c20cc08e6afb2b7",
    span_name: "s",
    trace_id: "b672ccf48683b392891c5cb4163d4b51",
  });
}

test("--filter '[s{x=(a+)+b}]=trace' over forty a's and a c ends, deciding as EnvFilter", () => {
  const path = join(dir, "hostile.jsonl");
  const lines = [record(`${"a".repeat(40)}c`, "hostile"), record("aaab", "matching")];
  writeFileSync(path, `${lines.join("\n")}\n`);
  // A generous bound: a backtracking engine runs for minutes here, so ending at all is the test.
  const run = dynlog(["convert", "--filter", "warn,[s{x=(a+)+b}]=trace", path], {
    timeoutMs: 60000,
  });
  assert.is(run.status, 0, run.stderr);
  assert.ok(run.stdout.includes("matching"), run.stdout);
  assert.not.ok(run.stdout.includes("hostile"), run.stdout);
});

test("an invalid span-field pattern is ignored as Dynamo ignores it, with a warning saying why", () => {
  const path = join(dir, "one.jsonl");
  writeFileSync(path, `${record("a", "m")}\n`);
  const run = dynlog(["convert", "--filter", "[s{x=a(}]=trace", path]);
  assert.is(run.status, 0, run.stderr);
  assert.ok(run.stderr.includes("is ignored, as Dynamo ignores it"), run.stderr);
  assert.ok(run.stderr.includes("missing closing )"), run.stderr);
});

test.run();
