import { test } from "uvu";
import { spanInputTests } from "../helpers/bad-input-commands.js";
import { makeSpanInputs } from "../helpers/bad-inputs.js";
import { scratchDir } from "../helpers/paths.js";

// One trace of many spans: a chain deeper than recursion could go, a span with many children.
spanInputTests(test, makeSpanInputs(scratchDir("bad-spans"), "deep"));
test.run();
