/**
 * The commands that build spans over the big inputs about spans that test/helpers/bad-inputs.ts
 * makes (a 30 000-span parent chain, 10 000 children of one span, 20 000 traces, 5 000 prefixed
 * sources in one trace, one span id used 5 000 times), each within a time box; the rules each run
 * must keep are in helpers/bad-input-commands.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import { bigInputTests } from "../helpers/bad-input-commands.js";
import { makeSpanInputs } from "../helpers/bad-inputs.js";

const dir = mkdtempSync(join(tmpdir(), "dynlog-bad-spans-"));
// The commands that build spans; to `convert` these are plain lines, which the inputs about
// lines cover (bad-input-big.test.ts).
const SPAN_COMMANDS = [
  "trace",
  "trace --format json",
  "traces",
  "stats",
  "validate",
  "tail --no-follow",
];
bigInputTests(
  test,
  makeSpanInputs(dir).map((input) => ({ ...input, only: SPAN_COMMANDS })),
);
test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
