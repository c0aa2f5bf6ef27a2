/**
 * Every command over the big inputs about lines that test/helpers/bad-inputs.ts makes (a line past
 * the parse and hold limit, deep nesting, a torn record past the join bound,
 * 20 000 keys) and over a directory and a FIFO, each within a time box; the rules each run must
 * keep are in helpers/bad-input-commands.ts. The span-shaped inputs are bad-input-spans.test.ts
 * (two suites, so that they run side by side).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import { bigInputTests } from "../helpers/bad-input-commands.js";
import { makeLineInputs } from "../helpers/bad-inputs.js";
import { FIXTURES } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "dynlog-bad-big-"));
bigInputTests(test, makeLineInputs(dir, `${FIXTURES}sample/frontend.jsonl`));
test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
