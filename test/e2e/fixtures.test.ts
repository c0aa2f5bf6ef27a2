/** The bundled sample logs: regenerated identically, and converted as golden output. */

import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynlog } from "../helpers/cli.js";
import { matchGolden } from "../helpers/golden.js";
import { FIXTURES, ROOT, scratchDir } from "../helpers/paths.js";

const SAMPLE = `${FIXTURES}sample/`;

test("fixtures/sample is exactly the generator's output", () => {
  const out = scratchDir("gen");
  const run = spawnSync(process.execPath, [`${ROOT}dist/tools/gen-fixtures.js`, out], {
    encoding: "utf8",
  });
  assert.is(run.status, 0, run.stderr);
  const names = readdirSync(SAMPLE).sort();
  assert.equal(readdirSync(out).sort(), names);
  for (const name of names) {
    assert.ok(readFileSync(join(out, name)).equals(readFileSync(SAMPLE + name)), `${name} differs`);
  }
});

test("convert of the three components, merged by time (golden)", () => {
  const run = dynlog([
    "convert",
    `${SAMPLE}frontend.jsonl`,
    `${SAMPLE}prefill.jsonl`,
    `${SAMPLE}decode.jsonl`,
  ]);
  assert.is(run.status, 0, run.stderr);
  matchGolden("sample-convert.txt", run.stdout);
});

test("convert with colour (golden)", () => {
  const run = dynlog(["convert", "--color", "always", `${SAMPLE}decode.jsonl`]);
  matchGolden("decode-convert-color.txt", run.stdout);
});

test("docker compose output: prefixes kept, non-JSON lines byte for byte and in place", () => {
  const input = readFileSync(`${SAMPLE}mixed.log`, "utf8").split("\n");
  const run = dynlog(["convert", `${SAMPLE}mixed.log`]);
  assert.is(run.status, 0, run.stderr);
  const output = run.stdout.split("\n");
  assert.is(output.length, input.length);
  let nonJson = 0;
  for (const [i, line] of input.entries()) {
    const body = line.replace(/^[\w.-]+ *\| /, "");
    if (body.startsWith("{")) {
      assert.ok(
        output[i]?.startsWith(line.slice(0, line.length - body.length)),
        `prefix kept, line ${i + 1}`,
      );
      assert.not.ok(output[i]?.includes('{"time"'), `line ${i + 1} converted`);
    } else {
      assert.is(output[i], line, `line ${i + 1} untouched`);
      nonJson++;
    }
  }
  assert.ok(nonJson >= 8, "the sample has non-JSON lines");
});

test("the torn record of prefill.jsonl is read whole", () => {
  const run = dynlog(["convert", `${SAMPLE}prefill.jsonl`]);
  const lines = run.stdout.split("\n");
  assert.is(lines.length, readFileSync(`${SAMPLE}prefill.jsonl`, "utf8").split("\n").length - 1);
  assert.not.ok(run.stdout.includes('{"time"'), "no raw JSON left");
});

test("filtering the sample: only warnings and errors, with the traceback after the error", () => {
  const run = dynlog(["convert", "--filter", "warn", `${SAMPLE}decode.jsonl`]);
  const lines = run.stdout.split("\n").filter((l) => l !== "");
  assert.ok(lines.some((l) => l.includes("ERROR") && l.includes("request cancelled by client")));
  assert.ok(lines.some((l) => l.startsWith("Traceback")));
  assert.not.ok(lines.some((l) => / (INFO|DEBUG) /.test(l)));
});

test.run();
