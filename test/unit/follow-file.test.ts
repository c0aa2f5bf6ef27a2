/** FileFollower on its own: what it reads when the file changes around a hand-over. */
import { appendFileSync, renameSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FileFollower } from "../../src/input/follow-file.js";
import { scratchDir } from "../helpers/paths.js";

const dir = scratchDir("follow");

/** A follower whose events are recorded as one string: data as text, "|" for a switch. */
function recorder(path: string) {
  const seen: string[] = [];
  const notices: string[] = [];
  const follower = new FileFollower(path, {
    data: (chunk) => {
      seen.push(chunk.toString());
    },
    switched: () => seen.push("|"),
    notice: (m) => notices.push(m),
  });
  return { follower, seen, notices };
}

test("a rotation between the first read and the hand-over: old file drained, then the new", async () => {
  const path = join(dir, "handover.log");
  writeFileSync(path, "one\n");
  const handle = await open(path, "r");
  // The start segment has read "one\n"; then, before following begins, the file is rotated.
  renameSync(path, `${path}.1`);
  appendFileSync(`${path}.1`, "two\n");
  writeFileSync(path, "three\n");
  const { follower, seen, notices } = recorder(path);
  await follower.start({ handle, position: 4 });
  await follower.stop();
  assert.is(seen.join(""), "two\n|three\n");
  assert.equal(notices, [], "no truncation is reported");
});

test("a file missing at the hand-over is reported once and read from its start when it appears", async () => {
  const path = join(dir, "later.log");
  const { follower, seen, notices } = recorder(path);
  await follower.start(null);
  writeFileSync(path, "first\n");
  await follower.check();
  await follower.stop();
  assert.is(seen.join(""), "first\n");
  assert.equal(notices, [
    "no such file or directory (waiting for it to appear)",
    "appeared; following it",
  ]);
});

test("copytruncate: a shorter file under the same inode is read again from the start", async () => {
  const path = join(dir, "trunc.log");
  writeFileSync(path, "aaaa\nbbbb\n");
  const handle = await open(path, "r");
  const { follower, seen, notices } = recorder(path);
  await follower.start({ handle, position: 10 });
  writeFileSync(path, "c\n");
  await follower.check();
  await follower.stop();
  assert.is(seen.join(""), "|c\n");
  assert.equal(notices, ["truncated; reading from the start"]);
});

test.run();
