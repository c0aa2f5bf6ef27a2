import { test } from "uvu";
import { bigInputTests } from "../helpers/bad-input-commands.js";
import { makeSpanInputs } from "../helpers/bad-inputs.js";
import { scratchDir } from "../helpers/paths.js";

const dir = scratchDir("bad-spans");
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
test.run();
