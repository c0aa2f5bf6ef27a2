/**
 * Golden files: `matchGolden(name, actual)` compares with test/golden/<name>. A missing golden
 * file fails like a mismatch; after an intended change, `npm run update-golden` (UPDATE_GOLDEN=1)
 * writes every golden the tests reach, then review the diff. A mismatch shows expected and got,
 * line by line.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as assert from "uvu/assert";
import { ROOT } from "./paths.js";

export function matchGolden(name: string, actual: string): void {
  const path = `${ROOT}test/golden/${name}`;
  if (process.env.UPDATE_GOLDEN === "1") {
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) {
    assert.unreachable(
      `golden file test/golden/${name} is missing (npm run update-golden writes it)`,
    );
  }
  assert.fixture(
    actual,
    readFileSync(path, "utf8"),
    `golden ${name} (npm run update-golden to refresh)`,
  );
}
