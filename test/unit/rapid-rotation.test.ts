/**
 * Rapid rotation loses nothing: generations renamed away before the follower opened them are
 * found beside the name and drained in order (FileFollower, in-process, 20 trials).
 */
import { appendFileSync, renameSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FileFollower } from "../../src/input/follow-file.js";
import { scratchDir } from "../helpers/paths.js";

const LINES = 1000;

function generation(g: number): string {
  let out = "";
  for (let i = 0; i < LINES; i++) out += `g${g} line ${i}\n`;
  return out;
}

/** The lines a follower saw, in order, or where they went wrong. */
function lost(seen: string): string[] {
  const lines = seen.split("\n").filter((l) => l !== "");
  const problems: string[] = [];
  let at = 0;
  for (let g = 0; g <= 3; g++) {
    for (let i = 0; i < LINES; i++, at++) {
      if (lines[at] !== `g${g} line ${i}`) {
        problems.push(`expected "g${g} line ${i}" at ${at}, got ${JSON.stringify(lines[at])}`);
        return problems;
      }
    }
  }
  if (lines.length !== at) problems.push(`${lines.length - at} extra lines`);
  return problems;
}

/** Follows `path` (created empty) from its start, collecting what is read. */
async function follow(path: string) {
  writeFileSync(path, "");
  const chunks: string[] = [];
  const follower = new FileFollower(path, {
    data: (chunk) => {
      chunks.push(chunk.toString());
    },
    switched: () => {},
    notice: () => {},
  });
  await follower.start({ handle: await open(path, "r"), position: 0 });
  return { follower, chunks };
}

test("three rotations back to back lose no line in 20 of 20 trials", async () => {
  for (let trial = 0; trial < 20; trial++) {
    const dir = scratchDir("rotate");
    const path = join(dir, "app.log");
    // An old generation from before following began is not read again.
    writeFileSync(`${path}.0`, "old generation\n");
    const { follower, chunks } = await follow(path);
    // Nothing runs in between: the follower sees only the end state.
    appendFileSync(path, generation(0));
    for (let n = 1; n <= 3; n++) {
      renameSync(path, `${path}.${n}`);
      writeFileSync(path, "");
      appendFileSync(path, generation(n));
    }
    await follower.check();
    await follower.stop();
    assert.equal(lost(chunks.join("")), [], `trial ${trial + 1}`);
  }
});

test("logrotate-style shifting names: generations are read oldest first by age, not by name", async () => {
  const dir = scratchDir("rotate-shift");
  const path = join(dir, "app.log");
  const { follower, chunks } = await follow(path);
  appendFileSync(path, generation(0));
  for (let n = 1; n <= 3; n++) {
    // app.log.2 -> app.log.3, app.log.1 -> app.log.2, app.log -> app.log.1
    for (let k = n - 1; k >= 1; k--) renameSync(`${path}.${k}`, `${path}.${k + 1}`);
    renameSync(path, `${path}.1`);
    writeFileSync(path, generation(n));
  }
  await follower.check();
  await follower.stop();
  assert.equal(lost(chunks.join("")), []);
});

test.run();
