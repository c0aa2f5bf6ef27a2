/**
 * The views (trace waterfall, tree, `traces` and `stats` tables, `validate` text) rendered
 * in-process into an in-memory writer, with colour on and off: colour adds only SGR sequences
 * (stripping them gives the plain text back exactly), and without colour there are none.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Io } from "../../src/commands/io.js";
import { runTrace } from "../../src/commands/trace.js";
import { runStats, runTraces } from "../../src/commands/traces.js";
import { runValidate } from "../../src/commands/validate.js";
import type { RunConfig } from "../../src/config/run-config.js";
import { captureIo, configFor } from "../helpers/in-process.js";
import { FIXTURES } from "../helpers/paths.js";

const DOC = ["frontend", "prefill", "decode"].map(
  (n) => `${FIXTURES}doc-example/created/${n}.jsonl`,
);
const SGR = /\x1b\[[0-9;]*m/g;

type View = (config: RunConfig, io: Io) => Promise<number>;

const VIEWS: [string, View][] = [
  [
    "trace waterfall",
    (c, io) => runTrace({ id: "b672ccf4", format: "waterfall", logs: true, details: true }, c, io),
  ],
  [
    "trace tree",
    (c, io) => runTrace({ id: "b672ccf4", format: "tree", logs: false, details: false }, c, io),
  ],
  [
    "traces table",
    (c, io) => runTraces({ sort: "start", limit: undefined, format: "table" }, c, io),
  ],
  ["stats table", (c, io) => runStats("table", c, io)],
  ["validate text", (c, io) => runValidate({ format: "text", strict: false }, c, io)],
];

for (const [name, view] of VIEWS) {
  test(`${name}: colour adds only SGR sequences; no colour, none`, async () => {
    const plain = captureIo();
    const plainStatus = await view(await configFor(DOC, ["--color", "never"]), plain.io);
    const coloured = captureIo();
    const colouredStatus = await view(await configFor(DOC, ["--color", "always"]), coloured.io);
    assert.is(colouredStatus, plainStatus);
    assert.ok(plain.stdout().length > 0, "something was written");
    assert.not.match(plain.stdout(), /\x1b/, "no escape sequence without colour");
    assert.fixture(coloured.stdout().replace(SGR, ""), plain.stdout());
    if (name.startsWith("trace "))
      assert.match(coloured.stdout(), SGR, "the trace view is coloured");
  });
}

test.run();
