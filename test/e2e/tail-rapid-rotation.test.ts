/** `dynlog tail` follows a name through three rotations back to back and loses no line. */
import { appendFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { killAll, startTail } from "../helpers/live.js";
import { scratchDir } from "../helpers/paths.js";

test.after.each(killAll);

const LINES = 1000;

function generation(g: number): string {
  let out = "";
  for (let i = 0; i < LINES; i++) out += `g${g} line ${i}\n`;
  return out;
}

test("three rotations back to back (mv, new empty file, 1000 lines each): no line lost", async () => {
  const dir = scratchDir("tail-rotate");
  const path = join(dir, "app.log");
  writeFileSync(path, "ready\n");
  const tail = startTail(["-n", "1", "--color", "never", path]);
  try {
    await tail.waitFor((o) => o.includes("ready"), 30000);
    // Written without yielding: the follower sees only what is left when it looks.
    appendFileSync(path, generation(0));
    for (let n = 1; n <= 3; n++) {
      renameSync(path, `${path}.${n}`);
      writeFileSync(path, "");
      appendFileSync(path, generation(n));
    }
    await tail.waitFor((o) => o.includes(`g3 line ${LINES - 1}\n`), 30000);
    const lines = tail
      .output()
      .split("\n")
      .filter((l) => /^g\d line \d+$/.test(l));
    const want: string[] = [];
    for (let g = 0; g <= 3; g++) for (let i = 0; i < LINES; i++) want.push(`g${g} line ${i}`);
    assert.is(lines.length, want.length, "every line of every generation");
    assert.equal(lines, want);
  } finally {
    await tail.stop();
  }
});

test.run();
