/**
 * A clone with nothing beside it builds and passes its tests: no file under src/ or test/ names
 * the folder beside the checkout that the conformance cases come from (they are copied into
 * test/conformance/data/ by `npm run refresh-conformance`, the one place allowed to look there),
 * and the copy holds every file the conformance suites read.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CONFORMANCE, ROOT } from "../helpers/paths.js";

/** The sibling folder, spelled in pieces so this file does not name it itself. */
const OUTSIDE = ["..", "shared"].join("/");
/** The verbatim copy of the cases (its README describes where it came from). */
const COPY = relative(ROOT, CONFORMANCE).replace(/\/$/, "");

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...files(path));
    else out.push(path);
  }
  return out;
}

test("nothing in src/ or test/ reads the folder beside the checkout", () => {
  const scanned = [...files("src"), ...files("test")];
  for (const known of ["src/cli/main.ts", "test/helpers/paths.ts"]) {
    assert.ok(scanned.includes(known), `${known} is scanned`);
  }
  const offenders = scanned
    .filter((path) => !path.startsWith(`${COPY}/`))
    .filter((path) => readFileSync(join(ROOT, path), "utf8").includes(OUTSIDE));
  assert.equal(offenders, [], `these name ${OUTSIDE}: ${offenders.join(", ")}`);
});

test("the conformance copy holds every case file, inside the repository", () => {
  assert.ok(!relative(ROOT, CONFORMANCE).startsWith(".."), CONFORMANCE);
  for (const name of [
    "README.md",
    "convert-cases.jsonl",
    "filter-cases.tsv",
    "filter-dynamo-defaults-cases.tsv",
    "filter-span-cases.tsv",
    "parse-cases.tsv",
  ]) {
    assert.ok(existsSync(CONFORMANCE + name), `${COPY}/${name}`);
  }
});

test("the README sends nobody outside the repository for the JSON shapes", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  // Only the refresh script may be said to read there.
  for (const line of readme.split("\n").filter((l) => l.includes(OUTSIDE))) {
    assert.match(line, /refresh-conformance/, `README.md sends readers outside: ${line}`);
  }
  assert.ok(readme.includes("docs/json.md"));
  const shapes = readFileSync(join(ROOT, "docs/json.md"), "utf8");
  for (const command of ["trace", "traces", "stats", "validate"]) {
    assert.ok(shapes.includes(`## \`dynlog ${command}`), `docs/json.md documents ${command}`);
  }
});

test.run();
