/**
 * Command-line habits through the built CLI: one value per option, repeatable options, `--`,
 * `tail -n all|+N`, bad values echoed as typed in readable text, no inputs on a terminal,
 * "no records matched", `--since` after `--until`, the `--where` grammar, shell completions.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynlog } from "../helpers/cli.js";
import { BIN, FIXTURES, ROOT, scratchDir } from "../helpers/paths.js";

const dir = scratchDir("habits");
const FE = `${FIXTURES}sample/frontend.jsonl`;
const DECODE = `${FIXTURES}sample/decode.jsonl`;
const REQUEST = "666eab89-48dd-4a43-9a9c-1468c6724682";

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

function rec(i: number, level: string, message: string, fields: Record<string, unknown> = {}) {
  const time = `2025-11-04T09:12:${String(i).padStart(2, "0")}.000000Z`;
  return JSON.stringify({ time, level, target: "dynamo_llm::http", message, ...fields });
}

const TIMINGS = file(
  "timings.jsonl",
  Array.from({ length: 10 }, (_, i) =>
    rec(i, i % 3 === 0 ? "WARN" : "INFO", `request ${i} done`, { ttft_ms: i * 100 }),
  ),
);

test("--where k=v followed by two inputs reads both inputs", () => {
  const run = dynlog([
    "convert",
    "--color",
    "never",
    "--where",
    `x_request_id=${REQUEST}`,
    FE,
    DECODE,
  ]);
  assert.is(run.status, 0, run.stderr);
  assert.is(run.stderr, "");
  const lines = run.stdout.trimEnd().split("\n");
  const alone = (path: string) =>
    dynlog(["convert", "--color", "never", "--where", `x_request_id=${REQUEST}`, path]).stdout;
  assert.ok(alone(FE).length > 0 && alone(DECODE).length > 0, "the request is in both files");
  assert.is(lines.length, alone(FE).split("\n").length - 1 + alone(DECODE).split("\n").length - 1);
});

test("--where repeats: every clause must hold", () => {
  const run = dynlog(["convert", "--where", "level=WARN", "--where", "ttft_ms>=600", TIMINGS]);
  assert.is(run.status, 0, run.stderr);
  assert.equal(
    run.stdout
      .trimEnd()
      .split("\n")
      .map((l) => /request (\d)/.exec(l)?.[1]),
    ["6", "9"],
  );
});

test("-- ends the options: what follows is read as an input", () => {
  const run = dynlog(["convert", "--", TIMINGS]);
  assert.is(run.status, 0, run.stderr);
  assert.is(run.stdout.trimEnd().split("\n").length, 10);
});

test("tail -n all and -n +N start from the first and the Nth record", () => {
  const all = dynlog(["tail", "--no-follow", "--color", "never", "-n", "all", TIMINGS]);
  assert.is(all.status, 0, all.stderr);
  assert.is(all.stdout.trimEnd().split("\n").length, 10);
  const from = dynlog(["tail", "--no-follow", "--color", "never", "-n", "+8", TIMINGS]);
  assert.equal(
    from.stdout
      .trimEnd()
      .split("\n")
      .map((l) => /request (\d)/.exec(l)?.[1]),
    ["7", "8", "9"],
  );
  const last = dynlog(["tail", "--no-follow", "--color", "never", "-n", "2", TIMINGS]);
  assert.is(last.stdout.trimEnd().split("\n").length, 2);
});

test("a bad value is echoed as typed, in readable text, status 2, nothing on stdout", () => {
  for (const [args, message] of [
    [
      ["traces", "--limit", "abc", FE],
      "dynlog: --limit 'abc': expected a whole number of at least 0\n",
    ],
    [
      ["convert", "--color", "blue", FE],
      "dynlog: --color 'blue': expected one of auto, always, never\n",
    ],
    [
      ["tail", "-n", "some", FE],
      "dynlog: --lines 'some': expected N, +N (from the Nth record) or all\n",
    ],
  ] as const) {
    const run = dynlog([...args]);
    assert.is(run.status, 2, args.join(" "));
    assert.is(run.stdout, "");
    assert.ok(run.stderr.startsWith(message), run.stderr);
    assert.not.match(run.stderr, "\\n", "no escaped newline");
  }
});

test("no inputs and a terminal on stdin: said, status 2", () => {
  const run = spawnSync("script", ["-qec", `${process.execPath} ${BIN} convert`, "/dev/null"], {
    cwd: ROOT,
    input: "",
    encoding: "utf8",
    timeout: 20000,
  });
  assert.is(run.status, 2, run.stdout);
  assert.match(run.stdout, "dynlog: no inputs, and standard input is a terminal");
});

test("convert and tail say when the filter matched no record", () => {
  const convert = dynlog(["convert", "--where", "x_request_id=nobody", FE]);
  assert.is(convert.status, 0);
  assert.is(convert.stdout, "");
  assert.is(convert.stderr, "dynlog: no records matched --where 'x_request_id=nobody'\n");
  const tail = dynlog(["tail", "--no-follow", "--filter", "off", FE]);
  assert.is(tail.stderr, "dynlog: no records matched --filter 'off'\n");
  const some = dynlog(["convert", "--where", "level=WARN", TIMINGS]);
  assert.is(some.stderr, "");
});

test("--since after --until is a usage error", () => {
  const run = dynlog(["convert", "--since", "2025-11-05", "--until", "2025-11-04", FE]);
  assert.is(run.status, 2);
  assert.is(run.stdout, "");
  assert.match(run.stderr, "--since '2025-11-05' is after --until '2025-11-04'");
});

test("--where: a bad expression points at the character at fault", () => {
  const run = dynlog(["convert", "--where", "ttft_ms>fast", TIMINGS]);
  assert.is(run.status, 2);
  assert.is(
    run.stderr,
    [
      "dynlog: --where 'ttft_ms>fast': expected a number or a duration (500, 2.5, 500ms, 3s) after '>' (at character 9)",
      "dynlog:   ttft_ms>fast",
      "dynlog:           ^",
      "",
    ].join("\n"),
  );
  assert.match(
    dynlog(["convert", "--where", "message~=(a", TIMINGS]).stderr,
    "invalid regular expression: missing closing )",
  );
});

test("--where: contains, regular expression, durations, levels", () => {
  const kept = (...where: string[]) =>
    dynlog(["convert", ...where.flatMap((w) => ["--where", w]), TIMINGS])
      .stdout.trimEnd()
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => /request (\d)/.exec(l)?.[1]);
  assert.equal(kept("message~request 4"), ["4"]);
  assert.equal(kept("message~=^request [2-3] "), ["2", "3"]);
  assert.equal(kept("ttft_ms>0.75s"), ["8", "9"]);
  assert.equal(kept("level>=warn", "ttft_ms<=300"), ["0", "3"]);
});

test("--where with a regular expression cannot stall on a hostile line", () => {
  const hostile = file("hostile.jsonl", [rec(1, "INFO", `${"a".repeat(40)}c`)]);
  const run = dynlog(["convert", "--where", "message~=(a+)+b", hostile], { timeoutMs: 20000 });
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stderr, "no records matched");
});

test("completion scripts name every command; bash's parses", () => {
  for (const shell of ["bash", "zsh", "fish"]) {
    const run = dynlog(["completion", shell]);
    assert.is(run.status, 0, run.stderr);
    for (const name of ["convert", "tail", "trace", "traces", "stats", "validate", "where"]) {
      assert.match(run.stdout, name, `${shell}: ${name}`);
    }
  }
  const bash = spawnSync("bash", ["-n"], { input: dynlog(["completion", "bash"]).stdout });
  assert.is(bash.status, 0, String(bash.stderr));
  const bad = dynlog(["completion", "tcsh"]);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, "completion 'tcsh': expected bash, zsh or fish");
});

test.run();
