/**
 * Every shared filter case, decided twice: by the filter module on a parsed record, and by the
 * built CLI (`dynlog convert --filter D`) on the JSONL line Dynamo would have written, both as a
 * native event and as a bridged Python record (decided by its `log.target`).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynlog } from "../helpers/cli.js";
import { caseRecord, type FilterCase, filterCases } from "../helpers/conformance.js";

const FILES: readonly [string, string[]][] = [
  ["filter-cases.tsv", []],
  ["filter-dynamo-defaults-cases.tsv", ["--dynamo-defaults"]],
  ["filter-span-cases.tsv", []],
];

function singleSpan(c: FilterCase): boolean {
  return c.spans.length <= 1;
}

for (const [file, extra] of FILES) {
  const cases = filterCases(file).filter(singleSpan);
  const byDirectives = new Map<string, FilterCase[]>();
  for (const c of cases) {
    const group = byDirectives.get(c.directives) ?? [];
    group.push(c);
    byDirectives.set(c.directives, group);
  }
  test(`${file}: ${cases.length} cases through the CLI`, () => {
    assert.ok(cases.length > 100, "the conformance file was read");
    for (const [directives, group] of byDirectives) {
      const input = group
        .flatMap((c, i) => [
          caseRecord(c, `case-${i}-native`, false),
          caseRecord(c, `case-${i}-py`, true),
        ])
        .join("\n");
      const run = dynlog(["convert", "--color", "never", "--filter", directives, ...extra], {
        input: `${input}\n`,
      });
      assert.is(run.status, 0, run.stderr);
      const shown = new Set(run.stdout.split("\n").map((l) => /case-\d+-\w+/.exec(l)?.[0]));
      group.forEach((c, i) => {
        for (const kind of ["native", "py"]) {
          const label = `DYN_LOG=${JSON.stringify(directives)} ${c.target} ${c.level} ${c.spans.join(" > ")} (${kind})`;
          assert.is(shown.has(`case-${i}-${kind}`), c.enabled, label);
        }
      });
    }
  });
}

test.run();
