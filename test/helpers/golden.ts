/**
 * Golden files: `matchGolden(name, actual)` compares with test/golden/<name>; run the tests with
 * UPDATE_GOLDEN=1 to rewrite them after an intended change (then review the diff). A mismatch
 * shows expected and got, line by line.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as assert from "uvu/assert";
import { ROOT } from "./paths.js";

export function matchGolden(name: string, actual: string): void {
  const path = `${ROOT}test/golden/${name}`;
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(path)) {
    if (process.env.CI && !existsSync(path)) assert.unreachable(`golden file ${name} is missing`);
    writeFileSync(path, actual);
    return;
  }
  assert.fixture(actual, readFileSync(path, "utf8"), `golden ${name} (UPDATE_GOLDEN=1 to refresh)`);
}
