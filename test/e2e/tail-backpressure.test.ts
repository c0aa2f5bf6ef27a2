/**
 * Live `tail` behind a reader that does not read: hundreds of MB appended to the followed file
 * must not pile up in dynlog's memory (the follower waits for the output), and everything shows
 * once the reader reads again.
 */
import { appendFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnDynlog } from "../helpers/cli.js";
import { scratchDir } from "../helpers/paths.js";

const dir = scratchDir("backpressure");
const MB = 1024 * 1024;
/** Appended while nobody reads: well past the memory bound. */
const APPEND = 256 * MB;
const BOUND = 200 * MB;

/** A field of /proc/<pid>/status in bytes (VmHWM: peak resident memory), or -1 once gone. */
function procBytes(pid: number, field: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1];
    return kb === undefined ? -1 : Number(kb) * 1024;
  } catch {
    return -1;
  }
}

/** Bytes the process has read from files so far (/proc/<pid>/io rchar). */
function bytesRead(pid: number): number {
  try {
    return Number(/rchar:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, "utf8"))?.[1] ?? -1);
  } catch {
    return -1;
  }
}

/** Resolves once `done()` holds, polling; rejects after `ms`. */
async function until(done: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("live tail behind a reader that stops: memory stays bounded, then it catches up", async () => {
  const file = join(dir, "app.log");
  writeFileSync(file, `${line(0)}\n`);
  const child = spawnDynlog(["tail", "-n", "1", file]);
  const pid = child.pid as number;
  let tail = "";
  let lines = 0;
  let paused = false;
  child.stdout.on("data", (d: Buffer) => {
    for (let i = d.indexOf(10); i >= 0; i = d.indexOf(10, i + 1)) lines++;
    tail = (tail + d.toString("latin1")).slice(-4096);
    // Stop reading once following has begun: the pipe fills and stays full.
    if (!paused) {
      paused = true;
      child.stdout.pause();
    }
  });
  try {
    // The first line shown: what is appended from now on is read by the follower.
    await until(() => paused, 60000, "the first line");
    // Long lines: few records to parse per MB, so the test spends its time moving bytes.
    const block = Buffer.from(Array.from({ length: 256 }, (_, i) => `${line(i + 1)}\n`).join(""));
    const blocks = Math.ceil(APPEND / block.length);
    for (let i = 0; i < blocks; i++) appendFileSync(file, block);
    appendFileSync(file, `${line(-1)}\n`);
    // Wait until it stops reading (blocked on the full pipe) or has read everything.
    let last = -1;
    let steady = 0;
    await until(
      () => {
        const now = bytesRead(pid);
        steady = now === last ? steady + 1 : 0;
        last = now;
        return steady >= 10 || now >= APPEND;
      },
      120000,
      "the reading to stop",
    );
    const peakPaused = procBytes(pid, "VmHWM");
    assert.ok(peakPaused > 0, "the process is running");
    assert.ok(
      peakPaused < BOUND,
      `peak memory ${Math.round(peakPaused / MB)} MB while the output was not read`,
    );
    assert.ok(bytesRead(pid) < APPEND / 2, "reading waits for the output");
    // Read again: everything arrives, the last line included.
    child.stdout.resume();
    await until(() => tail.includes("last line"), 180000, "the last line");
    assert.is(lines, 1 + blocks * 256 + 1);
    const peak = procBytes(pid, "VmHWM");
    assert.ok(peak < BOUND, `peak memory ${Math.round(peak / MB)} MB`);
  } finally {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

function line(i: number): string {
  const message = i < 0 ? "last line" : `line ${i} ${"x".repeat(3900)}`;
  return JSON.stringify({
    time: "2025-11-04T09:00:00.000000Z",
    level: "INFO",
    target: "t",
    message,
  });
}

test.run();
