/**
 * Log data must never drive the user's terminal. Through the built CLI, `--color always` stands
 * for a terminal: OSC 52 clipboard writes, OSC 8 links, cursor moves, window titles, bare CR,
 * backspace and C1 controls arrive escaped, in `convert` (records, raw lines, prefixes, invalid
 * UTF-8) and in every view and diagnostic; `--raw` lets `convert` pass them through; output to a
 * pipe stays byte-exact.
 */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynlog, hasCommand } from "../helpers/cli.js";
import { FIXTURES } from "../helpers/paths.js";

const HOSTILE = `${FIXTURES}bad/hostile-terminal.jsonl`;
const OSC52 = "\x1b]52;c;cHduZWQ=\x07";
const OSC8 = "\x1b]8;;https://evil.example/\x07";
const CLEAR = "\x1b[2J\x1b[H";
const TITLE = "\x1b]0;pwned\x07";
/** What may reach a terminal besides text: dynlog's SGR colours, newline, tab, CRLF. */
const SGR = /\x1b\[[0-9;]*m/g;
const UNSAFE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)/;

function assertSafe(text: string, what: string): void {
  const rest = text.replace(SGR, "");
  const at = rest.search(UNSAFE);
  assert.ok(at < 0, `${what}: ${JSON.stringify(rest.slice(Math.max(0, at - 30), at + 10))}`);
}

test("convert to a terminal: every sequence from the data arrives escaped", () => {
  const run = dynlog(["convert", "--color", "always", HOSTILE]);
  assert.is(run.status, 0, run.stderr);
  assertSafe(run.stdout, "convert --color always");
  for (const shown of [
    "\\x1b]52;c;cHduZWQ=\\x07",
    "\\x1b]8;;https://evil.example/\\x07click me",
    "\\x1b[2J\\x1b[H",
    "\\x1b]0;pwned\\x07",
    "bare\\rCR back\\x08\\x08\\u{9b}2J\\x7f",
  ]) {
    assert.ok(run.stdout.includes(shown), `missing ${shown}`);
  }
  // The multi-line message keeps its line breaks.
  assert.ok(run.stdout.includes("\nsecond line\r\n third"));
});

test("convert --raw and convert to a pipe let the data through unchanged", () => {
  const raw = dynlog(["convert", "--color", "always", "--raw", HOSTILE]);
  assert.ok(raw.stdout.includes(`\n${OSC52}\n`), "raw OSC 52 line");
  assert.ok(raw.stdout.includes(`${OSC8}click me`));
  assert.ok(raw.stdout.includes(`\x1b[1mhttp-request\x1b]0;pwned\x07\x1b[0m`), "raw span name");
  const piped = dynlog(["convert", HOSTILE]);
  const input = readFileSync(HOSTILE, "utf8").split("\n");
  for (const line of input.slice(8, 11)) assert.ok(piped.stdout.includes(line), line);
});

test("prefixes, invalid UTF-8 and JSONL output are made safe too", () => {
  const prefix = dynlog(["convert", "--color", "always", `${FIXTURES}bad/hostile-prefix.log`]);
  assertSafe(prefix.stdout, "prefix");
  assert.ok(prefix.stdout.includes("[pod/evil\\x1b[2J\\x1b[H/main] "));
  const bytes = dynlog(["convert", "--color", "always", `${FIXTURES}bad/invalid-utf8.jsonl`]);
  assertSafe(bytes.stdout, "invalid UTF-8");
  assert.ok(bytes.stdout.includes("csi byte \\x9b2J"));
  assert.ok(bytes.stdout.includes("overlong slash \\xc0\\xaf end"));
  const jsonl = dynlog(["convert", "--to", "jsonl", "--color", "always", HOSTILE]);
  assertSafe(jsonl.stdout, "--to jsonl");
  assert.ok(jsonl.stdout.includes("\\u009b2J"));
});

test("trace, traces, stats and validate views escape the data, even with --raw", () => {
  for (const args of [
    ["trace", "0badc0de", "--logs", "--details"],
    ["trace", "0badc0de", "--format", "tree", "--raw"],
    ["trace", "0badc0de", "--format", "json"],
    ["trace", "0badc0df"],
    ["traces"],
    ["traces", "--format", "json"],
    ["stats"],
    ...(hasCommand("validate") ? [["validate"], ["validate", "--format", "json"]] : []),
  ]) {
    const run = dynlog([...args, "--color", "always", HOSTILE]);
    assert.ok(run.status === 0 || run.status === 1, `${args.join(" ")}: ${run.stderr}`);
    assertSafe(run.stdout, args.join(" "));
    assertSafe(run.stderr, `${args.join(" ")} (stderr)`);
    assert.not.ok(run.stdout.includes(TITLE) || run.stdout.includes(CLEAR), args.join(" "));
  }
  const tree = dynlog(["trace", "0badc0de", "--format", "tree", HOSTILE]);
  assert.ok(tree.stdout.includes("http-request\\x1b]0;pwned\\x07"));
  assert.ok(tree.stdout.includes("request req\\x1b]52;c;cHduZWQ=\\x07"));
});

test("diagnostics that echo data (ids, paths, candidates) are escaped on stderr", () => {
  const ambiguous = dynlog(["trace", "0badc0d", HOSTILE]);
  assert.is(ambiguous.status, 1);
  assertSafe(ambiguous.stderr, "ambiguous");
  assert.ok(ambiguous.stderr.includes("0badc0df\\x1b]0;pwned\\x07"));
  const missing = dynlog(["convert", `no-such${TITLE}file.jsonl`]);
  assert.is(missing.status, 1);
  assertSafe(missing.stderr, "missing file");
  assert.ok(missing.stderr.includes("no-such\\x1b]0;pwned\\x07file.jsonl"));
  const none = dynlog(["trace", `id${CLEAR}`, HOSTILE]);
  assert.is(none.status, 1);
  assertSafe(none.stderr, "no match");
});

test.run();
