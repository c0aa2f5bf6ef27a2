/**
 * The one reader through the CLI: every command sees the same records for the same line
 * (services announced in a stream, launcher prefixes of several styles, torn lines, gzip and
 * invalid UTF-8 in `tail`).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynlog } from "../helpers/cli.js";
import { FIXTURES, scratchDir } from "../helpers/paths.js";

const dir = scratchDir("reader");
const path = (name: string) => join(dir, name);
const SAMPLE = ["frontend", "prefill", "decode"].map((n) => `${FIXTURES}sample/${n}.jsonl`);

interface JsonSpan {
  name: string;
  service: string;
  children: JsonSpan[];
}

function services(json: string): string[] {
  const trace = JSON.parse(json) as { roots: JsonSpan[] };
  const out: string[] = [];
  const walk = (s: JsonSpan) => {
    out.push(`${s.name}:${s.service}`);
    for (const c of s.children) walk(c);
  };
  for (const r of trace.roots) walk(r);
  return out;
}

test("components concatenated into one stream keep each span's service (trace)", () => {
  const separate = dynlog(["trace", "b8359cec", "--format", "json", ...SAMPLE]);
  assert.is(separate.status, 0, separate.stderr);
  const joined = Buffer.concat(SAMPLE.map((p) => readFileSync(p)));
  const piped = dynlog(["trace", "b8359cec", "--format", "json", "-"], { input: joined });
  assert.is(piped.status, 0, piped.stderr);
  assert.equal(services(piped.stdout), services(separate.stdout));
  assert.equal(services(piped.stdout), [
    "http-request:frontend",
    "handle_payload:prefill",
    "handle_payload:decode",
  ]);
});

test("a service announced past the first 8 MiB of an input names the spans after it", () => {
  const filler = `${JSON.stringify({ time: "2025-11-04T09:00:00.000000Z", level: "INFO", target: "t", message: "x".repeat(900) })}\n`;
  const file = path("late.jsonl");
  writeFileSync(
    file,
    filler.repeat(Math.ceil((9 * 1024 * 1024) / filler.length)) +
      readFileSync(SAMPLE[2] as string, "utf8"),
  );
  const run = dynlog(["trace", "b8359cec", "--format", "json", `${file}`], { timeoutMs: 60000 });
  assert.is(run.status, 0, run.stderr);
  assert.ok(services(run.stdout).includes("handle_payload:decode"), run.stdout);
});

const rec = (t: number, msg: string) =>
  JSON.stringify({
    time: `2025-11-04T09:00:0${t}.000000Z`,
    level: "INFO",
    target: "w",
    message: msg,
  });

test("a launcher prefix style is recognised after another style in the same input", () => {
  const file = path("styles.log");
  writeFileSync(
    file,
    [`frontend-1  | ${rec(1, "one")}`, `0: ${rec(2, "two")}`, "0: a traceback line", ""].join("\n"),
  );
  const run = dynlog(["convert", file]);
  assert.is(run.status, 0, run.stderr);
  assert.equal(run.stdout.split("\n"), [
    "frontend-1  | 2025-11-04T09:00:01.000000Z  INFO w: one",
    "0: 2025-11-04T09:00:02.000000Z  INFO w: two",
    "0: a traceback line",
    "",
  ]);
  const tail = dynlog(["tail", "--no-follow", "-n", "10", file]);
  const lines = tail.stdout.split("\n");
  assert.match(lines[1] ?? "", /^0 +│ 2025-11-04T09:00:02\.000000Z {2}INFO w: two$/);
});

test("a torn line never swallows the complete record after it", () => {
  const file = path("torn.log");
  const torn = rec(1, "torn").slice(0, 30);
  const readable = "2025-11-04T09:00:03.000000Z  INFO w: readable after";
  writeFileSync(file, [torn, rec(2, "json after"), torn, readable, ""].join("\n"));
  const run = dynlog(["convert", file]);
  assert.equal(run.stdout.split("\n"), [
    torn,
    "2025-11-04T09:00:02.000000Z  INFO w: json after",
    torn,
    readable,
    "",
  ]);
  // Read as a record, not as a piece of the torn line: it converts to a JSON record.
  const jsonl = dynlog(["convert", "--to", "jsonl", file]);
  assert.match(jsonl.stdout, /"message":"readable after"/);
});

test("tail reads a gzip input decompressed, as convert does", () => {
  const file = path("app.log.gz");
  const text = [1, 2, 3, 4, 5].map((i) => rec(i, `line ${i}`)).join("\n");
  writeFileSync(file, gzipSync(`${text}\n`));
  const run = dynlog(["tail", "-n", "2", file]);
  assert.is(run.status, 0, run.stderr);
  assert.equal(run.stdout.split("\n"), [
    "2025-11-04T09:00:04.000000Z  INFO w: line 4",
    "2025-11-04T09:00:05.000000Z  INFO w: line 5",
    "",
  ]);
});

test("tail shows invalid UTF-8 as convert does: byte for byte into a pipe, escaped for a terminal", () => {
  const file = path("bytes.log");
  const bad = Buffer.from([0x62, 0x61, 0x64, 0x20, 0xff, 0xfe, 0x0a]);
  writeFileSync(file, Buffer.concat([Buffer.from(`${rec(1, "ok")}\n`), bad]));
  const piped = dynlog(["tail", "--no-follow", file]);
  assert.ok(piped.stdoutBytes.includes(bad), "the bytes as they are");
  assert.ok(
    dynlog(["convert", file]).stdoutBytes.includes(bad),
    "convert writes them the same way",
  );
  const shown = dynlog(["tail", "--no-follow", "--color", "always", file]);
  assert.match(shown.stdout, /bad \\xff\\xfe/);
  assert.not.ok(shown.stdoutBytes.includes(Buffer.from([0xff])));
});

test.run();
