/**
 * Every command over the big and special inputs test/helpers/bad-inputs.ts makes (a line past the
 * hold limit, deep nesting, long span chains, many traces, sources and keys, a directory, a FIFO),
 * each within a time box; the rules each run must keep are in helpers/bad-input-commands.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  COMMANDS,
  type Input,
  runInProcess,
  runThroughFifo,
} from "../helpers/bad-input-commands.js";
import { makeBigInputs } from "../helpers/bad-inputs.js";
import { FIXTURES } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "dynlog-bad-big-"));
const big = makeBigInputs(join(dir, "big"), `${FIXTURES}sample/frontend.jsonl`);
// Colour is about what a line holds (the small fixtures carry the hostile content), not its size.
const everyCommand = COMMANDS.filter((c) => c.label !== "convert --color always");

for (const b of big) {
  const commands = everyCommand.filter((c) => b.only?.includes(c.label) ?? true);
  const which = b.only === undefined ? "every command copes" : `${b.only.join(", ")} cope`;
  test(`big input ${b.name}: ${which}, within its time box`, () => {
    const directory = b.name.startsWith("a directory");
    const content = b.fifoSource
      ? readFileSync(b.fifoSource)
      : directory
        ? null
        : readFileSync(b.path);
    const input: Input = { ...b, content };
    const problems = input.fifoSource
      ? runThroughFifo(input, commands, 60_000)
      : runInProcess(input, commands, 60_000);
    assert.equal(problems, [], problems.join("\n"));
  });
}

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
