/**
 * `dynlog validate`: finds exactly the problems planted in the sample logs (fixtures/sample/
 * README.md), reports invalid lines with their physical line numbers, accepts bridged Python
 * records, counts non-JSON lines (errors only with --strict), and prints the documented JSON
 * document. Runs in-process through `runValidate`, and through the built CLI once the command is
 * wired into it.
 */
import { readdirSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runValidate, type ValidateOptions } from "../../src/commands/validate.js";
import { dynlog, hasCommand } from "../helpers/cli.js";
import { captureIo, configFor } from "../helpers/in-process.js";
import { FIXTURES } from "../helpers/paths.js";

const SAMPLE = `${FIXTURES}sample/`;
const SAMPLES = readdirSync(SAMPLE)
  .filter((n) => n.endsWith(".jsonl"))
  .sort()
  .map((n) => `${SAMPLE}${n}`);

interface Report {
  files: number;
  lines: number;
  records: number;
  unparsed: number;
  invalid: number;
  errors: number;
  warnings: number;
  problems: { source: string; line: number; severity: string; kind: string; problem: string }[];
  problems_omitted: number;
  summary: Record<string, number>;
}

async function validate(inputs: string[], options: Partial<ValidateOptions> = {}) {
  const captured = captureIo();
  const status = await runValidate(
    { format: "json", strict: false, ...options },
    await configFor(inputs),
    captured.io,
  );
  const out = captured.stdout();
  return { status, out, report: options.format === "text" ? null : (JSON.parse(out) as Report) };
}

const PLANTED = [
  ["decode.jsonl", 206, "warning", "span open at end of log"],
  ["frontend.jsonl", 56, "warning", "SPAN_CLOSED without an opening"],
  ["prefill.jsonl", 63, "warning", "torn record, rejoined"],
];

test("the sample logs: exactly the planted problems, as warnings; non-JSON lines counted", async () => {
  const { status, report } = await validate(SAMPLES);
  assert.is(status, 0);
  const r = report as Report;
  assert.equal(
    r.problems.map((p) => [p.source.slice(SAMPLE.length), p.line, p.severity, p.kind]),
    PLANTED,
  );
  assert.match(r.problems[2]?.problem ?? "", "record torn across lines 63-64, rejoined");
  assert.match(r.problems[0]?.problem ?? "", "050480bd6448f27d");
  assert.match(r.problems[1]?.problem ?? "", "9dd98a5565f19355");
  assert.equal(
    { files: r.files, lines: r.lines, unparsed: r.unparsed, invalid: r.invalid, errors: r.errors },
    { files: 3, lines: 552, unparsed: 10, invalid: 0, errors: 0 },
  );
  assert.is(r.records + r.unparsed + 1, r.lines, "a torn record takes two lines");
  assert.equal(r.summary, {
    "span open at end of log": 1,
    "SPAN_CLOSED without an opening": 1,
    "torn record, rejoined": 1,
  });
});

test("text report: <source>:<line>: <severity>: <problem>, then the summary", async () => {
  const { out } = await validate(SAMPLES, { format: "text" });
  const lines = out.split("\n");
  assert.match(
    lines[0] ?? "",
    /^.*decode\.jsonl:206: warning: span handle_payload 050480bd6448f27d/,
  );
  assert.match(
    lines[2] ?? "",
    /prefill\.jsonl:63: warning: record torn across lines 63-64, rejoined$/,
  );
  assert.ok(out.includes("3 files, 552 lines: 541 JSON records, 10 other lines (not JSON)"));
  assert.ok(out.includes("0 invalid lines, 0 errors, 3 warnings"));
});

test("--strict: every non-JSON line is an error, with what it is", async () => {
  const { status, report } = await validate([`${SAMPLE}decode.jsonl`], { strict: true });
  assert.is(status, 1);
  const errors = (report as Report).problems.filter((p) => p.severity === "error");
  assert.equal(
    errors.map((p) => p.line),
    [3, 49, 125, 126, 127, 128, 129, 130, 157, 158],
  );
  assert.ok(errors.some((p) => p.problem === "not JSON: a blank line"));
});

test("invalid lines: truncated JSON, schema violations, invalid UTF-8; exit status 1", async () => {
  const { status, report } = await validate([
    `${FIXTURES}bad/truncated-json.jsonl`,
    `${FIXTURES}bad/wrong-types.jsonl`,
    `${FIXTURES}bad/invalid-utf8.jsonl`,
  ]);
  assert.is(status, 1);
  const r = report as Report;
  const at = (file: string, line: number) =>
    r.problems.filter((p) => p.source.endsWith(file) && p.line === line).map((p) => p.problem);
  assert.match(at("truncated-json.jsonl", 2)[0] ?? "", /^invalid JSON: /);
  assert.equal(at("truncated-json.jsonl", 1), []);
  assert.equal(at("wrong-types.jsonl", 1), ["'time' is not a string (got 1730711524)"]);
  assert.equal(at("wrong-types.jsonl", 3), [
    `'level' is not one of ERROR, WARN, INFO, DEBUG, TRACE (got "info")`,
  ]);
  assert.equal(at("wrong-types.jsonl", 6), [`'line' is not an integer (got "42")`]);
  assert.equal(at("wrong-types.jsonl", 9), [
    `'span_id' does not match ^[a-f0-9]{16}$ (got "0123456789abcde")`,
  ]);
  assert.equal(at("invalid-utf8.jsonl", 1), ["invalid UTF-8 bytes in a record"]);
  assert.is(r.summary["invalid JSON"], 5);
});

test("bridged Python records are valid with log.file/log.line; missing ones are named", async () => {
  const { report } = await validate([`${SAMPLE}prefill.jsonl`]);
  assert.is((report as Report).errors, 0, "55 bridged records, all valid");
  const { report: bad } = await validate([`${FIXTURES}bad/torn-records.jsonl`]);
  assert.ok((bad as Report).problems.some((p) => p.problem === "missing 'file'"));
});

if (hasCommand("validate")) {
  test("through the CLI: the sample logs, text and JSON, exit statuses", () => {
    const run = dynlog(["validate", ...SAMPLES]);
    assert.is(run.status, 0, run.stderr);
    const listed = run.stdout.split("\n").slice(0, 3);
    assert.equal(
      listed.map((l) => l.replace(/^.*fixtures\/sample\//, "").replace(/: warning: .*/, "")),
      ["decode.jsonl:206", "frontend.jsonl:56", "prefill.jsonl:63"],
    );
    const json = JSON.parse(dynlog(["validate", "--format", "json", ...SAMPLES]).stdout) as Report;
    assert.equal(json.summary, {
      "span open at end of log": 1,
      "SPAN_CLOSED without an opening": 1,
      "torn record, rejoined": 1,
    });
    assert.is(dynlog(["validate", "--strict", `${SAMPLE}decode.jsonl`]).status, 1);
    const stdin = dynlog(["validate", "--format", "json"], {
      input: '{"time":"2025-11-04T09:12:04.000000Z","level":"INFO","message":"no file"}\n',
    });
    assert.is(stdin.status, 1);
    assert.equal(
      (JSON.parse(stdin.stdout) as Report).problems.map((p) => `${p.source}:${p.line}`),
      ["stdin:1", "stdin:1", "stdin:1"],
    );
  });
}

test.run();
