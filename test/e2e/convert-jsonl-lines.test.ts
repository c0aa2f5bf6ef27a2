/**
 * `convert --to jsonl` always writes JSON Lines: a readable message continued on the next lines
 * joins its record, every other line becomes a raw-line object, a launcher prefix goes inside
 * its record; converting that back prints the original lines.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynlog } from "../helpers/cli.js";
import { FIXTURES, scratchDir } from "../helpers/paths.js";

const dir = scratchDir("jsonl-lines");

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function objects(stdout: string): Record<string, unknown>[] {
  const lines = stdout.split("\n");
  assert.is(lines.pop(), "", "ends with a newline");
  return lines.map((l, i) => {
    try {
      return JSON.parse(l) as Record<string, unknown>;
    } catch {
      assert.unreachable(`output line ${i + 1} is not JSON: ${l}`);
      return {};
    }
  });
}

const T1 = "2025-09-02T15:50:01.770028Z";
const T2 = "2025-09-02T15:50:02.000000Z";
const WORKER = [
  "starting worker (printed before any record)",
  `${T1} ERROR main.init: Traceback (most recent call last):`,
  '  File "main.py", line 1, in <module>',
  "ValueError: boom",
  `${T1} ERROR dynamo_runtime::x: line one\r`,
  "line two",
  `${T2}  WARN handle_payload: dynamo_runtime::x: request cancelled component="backend"`,
  "Traceback (most recent call last):",
  "asyncio.exceptions.CancelledError",
  `${T2}  INFO dynamo_runtime::x: two\nlines k=1`,
  "",
].join("\n");

test("a readable log with tracebacks becomes JSON Lines that read back to the same bytes", () => {
  const path = file("worker.log", WORKER);
  const run = dynlog(["convert", "--to", "jsonl", path]);
  assert.is(run.status, 0, run.stderr);
  const out = objects(run.stdout);
  assert.equal(out[0], {
    "@raw": "starting worker (printed before any record)",
    "@source": "worker",
  });
  // A message tracing printed over several lines is one record (CRLF kept).
  assert.is(
    out[1]?.message,
    'Traceback (most recent call last):\n  File "main.py", line 1, in <module>\nValueError: boom',
  );
  assert.is(out[2]?.message, "line one\r\nline two");
  // A record ends with its fields: the traceback a worker printed after it is lines of their own.
  assert.is(out[3]?.message, "request cancelled");
  assert.is(out[3]?.component, "backend");
  assert.equal(out[4], {
    "@raw": "Traceback (most recent call last):",
    "@source": "worker",
    "@time": T2,
  });
  assert.equal(out[5], {
    "@raw": "asyncio.exceptions.CancelledError",
    "@source": "worker",
    "@time": T2,
  });
  assert.equal([out[6]?.message, out[6]?.k], ["two\nlines", 1]);
  assert.is(out.length, 7);
  const back = dynlog(["convert", "-"], { input: run.stdout });
  assert.is(back.stdout, WORKER);
});

test("jq-style selection works past the first traceback of the bundled decode log", () => {
  const text = dynlog(["convert", `${FIXTURES}sample/decode.jsonl`]).stdout;
  const path = file("decode.log", text);
  const out = objects(dynlog(["convert", "--to", "jsonl", path]).stdout);
  const errors = out.filter((o) => o.level === "ERROR").map((o) => o.message);
  assert.equal(errors, ["request cancelled by client"]);
  const raw = out.filter((o) => "@raw" in o);
  assert.ok(
    raw.some((o) => o["@raw"] === "asyncio.exceptions.CancelledError"),
    "the traceback",
  );
  assert.ok(raw.every((o) => o["@source"] === "decode" && typeof o["@time"] === "string"));
  // The records after the traceback are all there.
  assert.is(out.length - raw.length, 202);
});

test("JSONL with launcher prefixes and non-record lines: prefix inside, every line an object", () => {
  const jsonl = dynlog(["convert", "--to", "jsonl", `${FIXTURES}sample/mixed.log`]);
  const out = objects(jsonl.stdout);
  const first = out[0] as Record<string, unknown>;
  assert.is(first["@prefix"], "decode-1    | ");
  assert.is(first["@source"], "decode-1");
  const progress = out.find((o) => String(o["@raw"] ?? "").startsWith("Loading safetensors"));
  assert.is(progress?.["@prefix"], "decode-1    | ");
  assert.is(progress?.["@source"], "decode-1");
  assert.ok(typeof progress?.["@time"] === "string");
  // Back to text: exactly what converting the prefixed JSONL directly prints.
  const direct = dynlog(["convert", `${FIXTURES}sample/mixed.log`]).stdout;
  assert.is(dynlog(["convert", "-"], { input: jsonl.stdout }).stdout, direct);
  // And to JSONL again: the same objects.
  assert.is(
    dynlog(["convert", "--to", "jsonl", "-"], { input: jsonl.stdout }).stdout,
    jsonl.stdout,
  );
});

test("a line with invalid UTF-8 or a CRLF end keeps its exact bytes through JSONL", () => {
  const bytes = Buffer.concat([
    Buffer.from(`{"time":"${T1}","level":"INFO","target":"t","message":"m"}\n`),
    Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x0a]),
    Buffer.from("crlf line\r\n"),
  ]);
  const path = file("bytes.jsonl", bytes);
  const jsonl = dynlog(["convert", "--to", "jsonl", path]);
  const out = objects(jsonl.stdout);
  assert.is(out[1]?.["@raw"], "bad\uFFFD\uFFFD");
  assert.is(typeof out[1]?.["@bytes"], "string");
  assert.is(out[2]?.["@raw"], "crlf line\r");
  const back = dynlog(["convert", "-"], { input: jsonl.stdout });
  assert.ok(back.stdoutBytes.subarray(-17).equals(bytes.subarray(-17)), back.stdout);
});

test.run();
