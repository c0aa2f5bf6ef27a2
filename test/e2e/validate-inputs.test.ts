/** `validate` says when an input is not a log at all: unreadable inputs and binary files. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynlog } from "../helpers/cli.js";
import { scratchDir } from "../helpers/paths.js";

const dir = scratchDir("validate-inputs");
const GOOD =
  '{"time":"2025-09-02T15:50:01.770028Z","level":"INFO","file":"a.rs","line":1,"target":"t","message":"m"}\n';

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

test("the text summary counts inputs that could not be read, as JSON does", () => {
  const good = file("good.jsonl", GOOD);
  const missing = join(dir, "missing.jsonl");
  const text = dynlog(["validate", good, missing, dir]);
  assert.is(text.status, 1, text.stderr);
  assert.ok(text.stderr.includes("missing.jsonl: no such file or directory"), text.stderr);
  assert.ok(text.stdout.includes("3 files (2 could not be read), 1 line:"), text.stdout);
  const json = dynlog(["validate", "--format", "json", good, missing]);
  assert.is((JSON.parse(json.stdout) as { unreadable: number }).unreadable, 1);
  const clean = dynlog(["validate", good]);
  assert.is(clean.status, 0, clean.stdout);
  assert.not.ok(clean.stdout.includes("could not be read"), clean.stdout);
});

test("a binary file (NUL bytes, no records) is an error, not a clean pass", () => {
  const bytes = Buffer.alloc(4096);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131) % 256;
  const binary = file("core.bin", bytes);
  const run = dynlog(["validate", binary]);
  assert.is(run.status, 1, run.stdout);
  assert.match(run.stdout, /core\.bin:1: error: binary file: NUL bytes and no log record/);
  assert.match(run.stdout, /│ +1 │ error +│ binary file +│/, "counted in the summary table");
  const json = JSON.parse(dynlog(["validate", "--format", "json", binary]).stdout) as {
    summary: Record<string, number>;
  };
  assert.is(json.summary["binary file"], 1);
  // NUL bytes beside real records are not a binary file: the records are checked as usual.
  const mixed = file("mixed.jsonl", Buffer.concat([Buffer.from(GOOD), Buffer.from("a\0b\n")]));
  const ok = dynlog(["validate", mixed]);
  assert.is(ok.status, 0, ok.stdout);
});

test.run();
