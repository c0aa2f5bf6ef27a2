/**
 * Dynamo's readable text, kept: floats and `{:?}` strings print as tracing printed them, and
 * readable lines read back whole (text → JSONL → text gives every record line back).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynlog } from "../helpers/cli.js";
import { FIXTURES, scratchDir } from "../helpers/paths.js";

const dir = scratchDir("fidelity");

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const HEAD = '{"time":"2025-09-02T15:50:01.770028Z","level":"INFO","target":"t::x","message":"m"';
const TEXT = "2025-09-02T15:50:01.770028Z  INFO t::x: m";

test("convert prints float fields as Rust's {:?} of an f64", () => {
  const values = ["100000000000000000000.0", "1e20", "1.5e-7", "-0.0", "100.0", "1e15", "0.75"];
  const path = file("floats.jsonl", values.map((v) => `${HEAD},"v":${v}}\n`).join(""));
  const run = dynlog(["convert", path]);
  assert.is(run.status, 0, run.stderr);
  const want = ["1e20", "1e20", "1.5e-7", "-0.0", "100.0", "1000000000000000.0", "0.75"];
  assert.is(run.stdout, want.map((v) => `${TEXT} v=${v}\n`).join(""));
});

test("a JSONL string that is a {:?} literal prints as Dynamo printed it, not quoted again", () => {
  const path = file(
    "debug.jsonl",
    `${HEAD},"endpoint":"\\"http://tempo:4317\\"","plain":"http://tempo:4317"}\n`,
  );
  const run = dynlog(["convert", path]);
  assert.is(run.stdout, `${TEXT} endpoint="http://tempo:4317" plain="http://tempo:4317"\n`);
});

test("a readable message with `k=v, k=v` prose is not split into fields", () => {
  const line =
    '2025-11-04T09:12:04.370428Z DEBUG handle_payload: handlers.generate: Decode request r received: prompt_tokens=1440, max_tokens=512 component="backend"';
  const path = file("prose.log", `${line}\n`);
  const jsonl = dynlog(["convert", "--to", "jsonl", path]);
  const rec = JSON.parse(jsonl.stdout) as Record<string, unknown>;
  assert.is(rec.message, "Decode request r received: prompt_tokens=1440, max_tokens=512");
  assert.is(rec.component, "backend");
  assert.is(rec.prompt_tokens, undefined);
});

test("text → JSONL → text gives every record line of the bundled samples back byte for byte", () => {
  for (const name of ["mixed.log", "frontend.jsonl", "prefill.jsonl", "decode.jsonl"]) {
    const text = dynlog(["convert", `${FIXTURES}sample/${name}`]).stdout;
    const path = file(`${name}.txt`, text);
    const jsonl = dynlog(["convert", "--to", "jsonl", path]);
    assert.is(jsonl.status, 0, jsonl.stderr);
    const back = dynlog(["convert", "-"], { input: jsonl.stdout });
    assert.is(back.status, 0, back.stderr);
    const want = text.split("\n");
    const got = back.stdout.split("\n");
    assert.is(got.length, want.length, name);
    for (let i = 0; i < want.length; i++) assert.is(got[i], want[i], `${name}:${i + 1}`);
  }
});

test.run();
