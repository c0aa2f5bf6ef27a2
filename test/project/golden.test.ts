/** Golden files cannot pass by accident: a missing one fails and is not written. */
import { existsSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { matchGolden } from "../helpers/golden.js";
import { ROOT } from "../helpers/paths.js";

/** The message `matchGolden` failed with (uvu's `throws` passes assertion errors through). */
function failure(name: string, actual: string): string {
  try {
    matchGolden(name, actual);
  } catch (err) {
    return (err as Error).message;
  }
  return "(passed)";
}

test("a missing golden file fails the test and is not created", () => {
  const name = "no-such-golden.txt";
  const saved = process.env.UPDATE_GOLDEN;
  delete process.env.UPDATE_GOLDEN;
  try {
    assert.match(failure(name, "anything\n"), /missing.*update-golden/);
  } finally {
    if (saved !== undefined) process.env.UPDATE_GOLDEN = saved;
  }
  assert.not.ok(existsSync(`${ROOT}test/golden/${name}`));
});

test("a golden file that differs fails, showing the difference", () => {
  const saved = process.env.UPDATE_GOLDEN;
  delete process.env.UPDATE_GOLDEN;
  try {
    assert.match(failure("sample-stats.txt", "not the stats\n"), /golden sample-stats\.txt/);
  } finally {
    if (saved !== undefined) process.env.UPDATE_GOLDEN = saved;
  }
});

test.run();
