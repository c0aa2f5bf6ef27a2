/**
 * Every command over every file of fixtures/bad/ (what a crashing or misconfigured system writes,
 * and what an attacker could plant in a log); the rules each run must keep are in
 * helpers/bad-input-commands.ts. The big inputs made at test time are bad-input-big.test.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { COMMANDS, type Input, runInProcess } from "../helpers/bad-input-commands.js";
import { FIXTURES } from "../helpers/paths.js";

const BAD = `${FIXTURES}bad/`;

function firstTraceId(content: Buffer): string {
  return /"trace_id":"([0-9a-f]{8})/.exec(content.toString("latin1"))?.[1] ?? "deadbeefcafe";
}

function corpus(): Input[] {
  return readdirSync(BAD)
    .filter((name) => name !== "README.md")
    .sort()
    .map((name) => {
      const content = readFileSync(BAD + name);
      const gzip = content[0] === 0x1f && content[1] === 0x8b;
      return {
        name,
        path: BAD + name,
        traceId: firstTraceId(content),
        content: gzip ? null : content,
      };
    });
}

for (const input of corpus()) {
  test(`bad input ${input.name}: every command copes`, () => {
    const problems = runInProcess(input, COMMANDS, 20_000);
    assert.equal(problems, [], problems.join("\n"));
  });
}

test.run();
