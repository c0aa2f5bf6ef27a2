/** The argument parser, in-process: argv -> typed command line, or a usage error. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type ParsedArgs, parseArgs } from "../../src/cli/args.js";

function run(argv: string[]) {
  const parsed = parseArgs(argv);
  if (parsed.kind !== "run") throw new Error(`expected a command line: ${JSON.stringify(parsed)}`);
  return parsed;
}

function usage(argv: string[]): string {
  const parsed: ParsedArgs = parseArgs(argv);
  if (parsed.kind !== "usage") throw new Error(`expected a usage error: ${JSON.stringify(parsed)}`);
  return parsed.message;
}

test("a value-taking option takes exactly one value: inputs after it stay inputs", () => {
  const line = run(["convert", "--where", "x_request_id=abc", "a.jsonl", "b.jsonl"]);
  assert.equal(line.options.where, ["x_request_id=abc"]);
  assert.equal(line.inputs, ["a.jsonl", "b.jsonl"]);
});

test("repeatable options repeat, in order, in both spellings", () => {
  const line = run(["convert", "--where", "a=1", "f", "--where=b=2"]);
  assert.equal(line.options.where, ["a=1", "b=2"]);
  assert.equal(line.inputs, ["f"]);
});

test("-- ends the options; - is an input", () => {
  const line = run(["convert", "--", "--where", "-", "file"]);
  assert.equal(line.inputs, ["--where", "-", "file"]);
  assert.equal(line.options.where, []);
  assert.equal(run(["convert", "-"]).inputs, ["-"]);
});

test("defaults fill what was not given; the last of a repeated single option wins", () => {
  const line = run(["convert", "--color", "always", "--color", "never"]);
  if (line.command !== "convert") throw new Error("convert");
  assert.is(line.options.color, "never");
  assert.is(line.options.to, "text");
  assert.is(line.options.raw, false);
  assert.is(line.options.filter, undefined);
});

test("booleans: --x, --no-x, --x=false", () => {
  const tail = (argv: string[]) => {
    const line = run(["tail", ...argv]);
    if (line.command !== "tail") throw new Error("tail");
    return line.options.follow;
  };
  assert.is(tail([]), true);
  assert.is(tail(["--no-follow"]), false);
  assert.is(tail(["--follow=false"]), false);
  assert.match(usage(["tail", "--follow=maybe"]), "--follow 'maybe': expected true or false");
});

test("tail -n: N, +N, all, attached or apart", () => {
  const lines = (argv: string[]) => {
    const line = run(["tail", ...argv]);
    if (line.command !== "tail") throw new Error("tail");
    return line.options.lines;
  };
  assert.equal(lines([]), { last: 10 });
  assert.equal(lines(["-n", "5"]), { last: 5 });
  assert.equal(lines(["-n5"]), { last: 5 });
  assert.equal(lines(["--lines=0"]), { last: 0 });
  assert.equal(lines(["-n", "+3"]), { from: 3 });
  assert.equal(lines(["-n", "all"]), { from: 1 });
  assert.match(usage(["tail", "-n", "ten"]), "--lines 'ten': expected N, +N");
});

test("a bad number is echoed as typed, with what was expected", () => {
  assert.is(
    usage(["traces", "--limit", "abc"]),
    "--limit 'abc': expected a whole number of at least 0",
  );
  assert.is(
    usage(["traces", "--limit", "-1"]),
    "--limit '-1': expected a whole number of at least 0",
  );
  assert.is(
    usage(["traces", "--limit", "2.5"]),
    "--limit '2.5': expected a whole number of at least 0",
  );
  assert.is(
    usage(["trace", "x", "--width", "20"]),
    "--width '20': expected a whole number from 40 to 1000",
  );
  assert.is(
    usage(["convert", "--color", "blue"]),
    "--color 'blue': expected one of auto, always, never",
  );
});

test("usage errors: missing value, unknown option or command, option of another command, missing id", () => {
  assert.is(usage(["convert", "--where"]), "--where needs a value (expr)");
  assert.is(usage(["convert", "--frobnicate"]), "unknown option '--frobnicate'");
  assert.is(usage(["frobnicate"]), "unknown command 'frobnicate'");
  assert.is(
    usage(["convert", "--limit", "3"]),
    "--limit is an option of 'traces', not of 'convert'",
  );
  assert.is(usage(["trace"]), "'trace' needs <id>");
  assert.is(usage([]), "a command is required");
  assert.is(usage(["completion", "bash", "extra"]), "'completion' takes no inputs (got 'extra')");
});

test("trace takes its id first, then inputs; typed view options", () => {
  const line = run(["trace", "--format", "json", "b8359cec", "a.jsonl"]);
  if (line.command !== "trace") throw new Error("trace");
  assert.is(line.args.id, "b8359cec");
  assert.equal(line.inputs, ["a.jsonl"]);
  assert.is(line.options.format, "json");
  assert.is(line.options.logs, false);
});

test("--help and --version win wherever they are", () => {
  assert.equal(parseArgs(["--help"]), { kind: "help", command: null });
  assert.equal(parseArgs(["traces", "--limit", "x", "-h"]).kind, "usage");
  assert.equal(parseArgs(["traces", "-h"]), { kind: "help", command: "traces" });
  assert.equal(parseArgs(["-V"]), { kind: "version" });
});

test.run();
