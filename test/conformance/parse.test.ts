/**
 * How each comma piece of a DYN_LOG value is read (the shared parse cases): the directive tracing
 * builds, or the error for which the lossy parse drops it; and the warnings dynlog prints for them
 * through the CLI.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { formatDirective, parseDirectives } from "../../src/filter/directive.js";
import { dynlog } from "../helpers/cli.js";
import { parseCases } from "../helpers/conformance.js";

for (const c of parseCases()) {
  test(`pieces of ${JSON.stringify(c.directives)}`, () => {
    const reports = parseDirectives(c.directives);
    const pieces = reports
      .map(
        (r) =>
          `${JSON.stringify(r.piece)} => ${r.directive ? formatDirective(r.directive) : `IGNORED (${r.error})`}`,
      )
      .join(" | ");
    assert.is(pieces, c.pieces);
    const firstError = reports.find((r) => r.directive === undefined);
    assert.is(firstError ? `error: ${firstError.error}` : "ok", c.strict);
  });
}

const MISREAD: readonly [string, RegExp][] = [
  [
    "dynamo_runtime::system_status_server:trace",
    /did you mean 'dynamo_runtime::system_status_server=trace'/,
  ],
  ["warning", /not as a level.*did you mean 'warn'/],
  [" info", /white space.*did you mean 'info'/],
  ["info,*=debug", /'\*=debug' is ignored, as Dynamo ignores it: invalid filter directive/],
  ["foo=loud", /no directive survives/],
];

for (const [directives, warning] of MISREAD) {
  test(`warns once about ${JSON.stringify(directives)}`, () => {
    const run = dynlog(["convert", "--filter", directives], { input: "" });
    assert.is(run.status, 0);
    assert.match(run.stderr, warning);
    const lines = run.stderr.split("\n").filter((l) => l !== "");
    assert.ok(
      lines.every((l) => l.startsWith("dynlog: warning: --filter: ")),
      run.stderr,
    );
  });
}

test("a plain filter prints no warning", () => {
  const run = dynlog(["convert", "--filter", "info,dynamo_runtime=debug,[http-request]=trace"]);
  assert.is(run.stderr, "");
});

test.run();
