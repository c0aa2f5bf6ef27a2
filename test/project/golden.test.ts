/** Golden files cannot pass by accident: a missing one fails and is not written. */
import { existsSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { matchGolden } from "../helpers/golden.js";
import { ROOT } from "../helpers/paths.js";

test("a missing golden file fails the test and is not created", () => {
  const name = "no-such-golden.txt";
  const saved = process.env.UPDATE_GOLDEN;
  delete process.env.UPDATE_GOLDEN;
  try {
    assert.throws(() => matchGolden(name, "anything\n"), /missing.*update-golden/);
  } finally {
    if (saved !== undefined) process.env.UPDATE_GOLDEN = saved;
  }
  assert.not.ok(existsSync(`${ROOT}test/golden/${name}`));
});

test("a golden file that differs fails, showing the difference", () => {
  const saved = process.env.UPDATE_GOLDEN;
  delete process.env.UPDATE_GOLDEN;
  try {
    assert.throws(() => matchGolden("sample-stats.txt", "not the stats\n"), /sample-stats/);
  } finally {
    if (saved !== undefined) process.env.UPDATE_GOLDEN = saved;
  }
});

test.run();
