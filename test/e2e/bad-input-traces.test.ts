import { test } from "uvu";
import { spanInputTests } from "../helpers/bad-input-commands.js";
import { makeSpanInputs } from "../helpers/bad-inputs.js";
import { scratchDir } from "../helpers/paths.js";

// Many traces, many launcher-prefixed sources, one span id repeated.
spanInputTests(test, makeSpanInputs(scratchDir("bad-traces"), "wide"));
test.run();
