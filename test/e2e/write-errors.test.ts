/**
 * Write errors through the built CLI: a failed write (a full disk: /dev/full) ends every command
 * with `dynlog: write error: <reason>` and status 1; a reader that goes away (EPIPE) is a quiet
 * end with status 0.
 */
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BIN, FIXTURES, ROOT, scratchDir, TEST_ENV } from "../helpers/paths.js";

const dir = scratchDir("write");
const SAMPLE = ["frontend", "prefill", "decode"].map((n) => `${FIXTURES}sample/${n}.jsonl`);

/** A few MB of records: more than any pipe buffers. */
const BIG = join(dir, "big.jsonl");
writeFileSync(
  BIG,
  Array.from(
    { length: 40000 },
    (_, i) =>
      `{"time":"2025-11-04T09:12:00.${String(i).padStart(6, "0")}Z","level":"INFO","target":"dynamo_llm::http","message":"line ${i} of a long log"}\n`,
  ).join(""),
);

function shell(command: string) {
  return spawnSync("bash", ["-c", command], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60000,
    env: TEST_ENV,
  });
}

const dynlog = `'${process.execPath}' '${BIN}'`;

test("a full disk: every command says 'write error' and exits 1", () => {
  if (!existsSync("/dev/full")) return;
  for (const args of [
    ["convert", BIG],
    ["convert", ...SAMPLE],
    ["trace", "b8359cec", ...SAMPLE],
    ["traces", ...SAMPLE],
    ["stats", ...SAMPLE],
    ["validate", ...SAMPLE],
    ["tail", "--no-follow", ...SAMPLE],
    ["--help"],
  ]) {
    const run = shell(`${dynlog} ${args.map((a) => `'${a}'`).join(" ")} > /dev/full`);
    assert.is(run.status, 1, `${args[0]}: ${run.stderr}`);
    assert.is(run.stderr, "dynlog: write error: no space left on device\n", args[0]);
  }
  // Merged on worker threads too.
  const merged = shell(
    `DYNLOG_THREADS=2 ${dynlog} convert '${BIG}' ${SAMPLE.map((a) => `'${a}'`).join(" ")} > /dev/full`,
  );
  assert.is(merged.status, 1, merged.stderr);
  assert.is(merged.stderr, "dynlog: write error: no space left on device\n");
});

test("a reader that goes away: quiet, status 0, on one thread or on worker threads", () => {
  for (const threads of ["0", "2"]) {
    for (const args of [
      ["convert", BIG],
      ["convert", BIG, ...SAMPLE],
      ["tail", "--no-follow", "-n", "all", BIG],
    ]) {
      const run = shell(
        `DYNLOG_THREADS=${threads} ${dynlog} ${args.map((a) => `'${a}'`).join(" ")} | head -c 100 > /dev/null; echo "status=\${PIPESTATUS[0]}" >&2`,
      );
      assert.is(run.stderr, "status=0\n", `${args[0]}, DYNLOG_THREADS=${threads}`);
    }
  }
});

test("a run on worker threads ends once its output is written", () => {
  // Exiting under Node 20 could wait forever for V8's background compiler: this command never
  // ended in about one run out of fifteen. How the process ends is tested in unit/exit.test.ts;
  // these runs show it ends, through the real exit.
  const file = join(dir, "timeless.log");
  const lines = Array.from({ length: 3000 }, (_, i) => `{"level":"INFO","message":"${i}"}\n`);
  writeFileSync(file, lines.join(""));
  for (let i = 0; i < 2; i++) {
    // Run directly, so that the timeout stops dynlog itself.
    const run = spawnSync(process.execPath, [BIN, "convert", file], {
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
      timeout: 15000,
      env: { ...TEST_ENV, DYNLOG_THREADS: "2" },
    });
    assert.is(run.status, 0, `run ${i + 1}: ${run.signal ?? ""} ${run.stderr}`);
  }
});

test.run();
