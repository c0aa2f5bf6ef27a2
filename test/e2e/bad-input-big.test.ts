import { test } from "uvu";
import { bigInputTests } from "../helpers/bad-input-commands.js";
import { makeLineInputs } from "../helpers/bad-inputs.js";
import { FIXTURES, scratchDir } from "../helpers/paths.js";

const dir = scratchDir("bad-big");
bigInputTests(test, makeLineInputs(dir, `${FIXTURES}sample/frontend.jsonl`));
test.run();
