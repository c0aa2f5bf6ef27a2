/** Readable-layout input through the built CLI: convert --to jsonl, filters, colours, merging. */
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynlog } from "../helpers/cli.js";
import { convertCases, NOT_FIELDS } from "../helpers/conformance.js";
import { startTail, whenFollowing } from "../helpers/live.js";
import { FIXTURES, scratchDir } from "../helpers/paths.js";

const dir = scratchDir("readable");
const cases = convertCases().filter((c) => c.text !== "");

test("every shared readable line reads back to its record (convert --to jsonl)", () => {
  const run = dynlog(["convert", "--to", "jsonl"], { input: cases.map((c) => c.text).join("") });
  assert.is(run.status, 0, run.stderr);
  const lines = run.stdout.split("\n").filter((l) => l !== "");
  let at = 0;
  for (const c of cases) {
    // A message with CRLF spans two physical lines: the second continues it, one record.
    const got = JSON.parse(lines[at] as string) as Record<string, unknown>;
    at++;
    const want = JSON.parse(c.jsonl) as Record<string, unknown>;
    assert.is(got.time, want.time, c.id);
    assert.is(got.level, want.level, c.id);
    assert.is(got.target, want["log.target"] ?? want.target, c.id);
    assert.is(got.message, want.message, c.id);
    for (const [key, value] of Object.entries(want)) {
      if (NOT_FIELDS.has(key) || key.startsWith("log.")) continue;
      if (!(c.exact || c.lossy.every((l) => !l.includes("span")))) continue;
      if (got[key] === undefined) continue;
      assert.is(String(got[key]), String(value), `${c.id} ${key}`);
    }
  }
});

test("text -> jsonl -> text is the identity on the exact cases", () => {
  for (const c of cases.filter((x) => x.exact)) {
    const jsonl = dynlog(["convert", "--to", "jsonl"], { input: c.text }).stdout;
    const back = dynlog(["convert"], { input: jsonl });
    assert.is(back.stdout, c.text, c.id);
  }
});

function colouredDecodeLog(): string {
  const run = dynlog(["convert", "--color", "always", `${FIXTURES}sample/decode.jsonl`]);
  const path = join(dir, "decode.log");
  writeFileSync(path, run.stdout);
  return path;
}

test("convert --filter on a coloured readable log keeps the traceback with its error", () => {
  const path = colouredDecodeLog();
  const run = dynlog(["convert", "--color", "never", "--filter", "error", path]);
  assert.is(run.status, 0, run.stderr);
  const lines = run.stdout.split("\n").filter((l) => l !== "");
  assert.match(
    lines[0] as string,
    /^2025-11-04T\S+ ERROR handle_payload: handlers\.generate: request cancelled by client/,
  );
  assert.is(lines[1], "Traceback (most recent call last):");
  assert.ok(lines.length >= 6, "the whole traceback follows");
  assert.not.match(run.stdout, /\x1b/);
  const same = dynlog([
    "convert",
    "--color",
    "never",
    "--filter",
    "error",
    `${FIXTURES}sample/decode.jsonl`,
  ]);
  assert.is(run.stdout, same.stdout, "readable and JSONL inputs filter alike");
});

test("tail on a coloured readable log: records re-rendered, the traceback shown under its error", async () => {
  const path = colouredDecodeLog();
  const run = dynlog([
    "tail",
    "--no-follow",
    "--color",
    "never",
    "--filter",
    "error",
    "-n",
    "1000",
    path,
  ]);
  assert.is(run.status, 0, run.stderr);
  const lines = run.stdout.split("\n");
  assert.match(
    lines[0] as string,
    /ERROR ⟨?.*handle_payload: handlers\.generate: request cancelled by client/,
  );
  assert.is(lines[1], "Traceback (most recent call last):");
  assert.not.match(run.stdout, /\x1b/);
  const live = startTail(["-n", "0", "--color", "never", path]);
  try {
    await whenFollowing(live, [path]);
    appendFileSync(
      path,
      '\x1b[2m2025-11-04T09:13:00.000000Z\x1b[0m \x1b[31mERROR\x1b[0m \x1b[1mmain.init\x1b[0m\x1b[2m:\x1b[0m Traceback (most recent call last):\n  File "main.py", line 1\n',
    );
    await live.waitFor((o) => o.includes('File "main.py", line 1'));
    assert.match(
      live.output(),
      /2025-11-04T09:13:00\.000000Z ERROR main\.init: Traceback \(most recent call last\):\n {2}File "main\.py", line 1\n/,
    );
  } finally {
    await live.stop();
  }
});

test("a JSONL log and a readable log merge by time", () => {
  const readable = colouredDecodeLog();
  const merged = dynlog([
    "convert",
    "--color",
    "never",
    `${FIXTURES}sample/frontend.jsonl`,
    readable,
  ]);
  const both = dynlog([
    "convert",
    "--color",
    "never",
    `${FIXTURES}sample/frontend.jsonl`,
    `${FIXTURES}sample/decode.jsonl`,
  ]);
  assert.is(merged.status, 0, merged.stderr);
  assert.is(merged.stdout, both.stdout);
});

test("mixed streams: JSON, readable and raw lines in one input", () => {
  const input = [
    '{"time":"2025-01-01T00:00:01.000000Z","level":"INFO","target":"a","message":"json"}',
    "2025-01-01T00:00:02.000000Z  WARN b: readable k=1",
    "raw print",
    "\x1b[2m2025-01-01T00:00:03.000000Z\x1b[0m \x1b[31mERROR\x1b[0m \x1b[1mc\x1b[0m\x1b[2m:\x1b[0m coloured",
  ].join("\n");
  const run = dynlog(["convert", "--filter", "warn"], { input: `${input}\n` });
  assert.equal(run.stdout.split("\n"), [
    "2025-01-01T00:00:02.000000Z  WARN b: readable k=1",
    "raw print",
    "2025-01-01T00:00:03.000000Z ERROR c: coloured",
    "",
  ]);
});

test.run();
