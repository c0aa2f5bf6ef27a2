/**
 * For the worker-thread paths: logs that put what is hard to cut at byte-range edges (lines of
 * every kind, the odd ones every so often so that some land at an edge), and the check that a
 * command writes the same on threads as on one. DYNLOG_THREADS forces the threads on small files
 * (ranges of 16 KiB). A suite's threaded runs are planned as it loads and run together in a child
 * process, on its main thread, where `bin/dynlog` starts its pools (`ThreadedPlan`).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Test } from "uvu";
import * as assert from "uvu/assert";
import { type BatchCliResult, dynlog, dynlogBatch } from "./cli.js";
import { FIXTURES } from "./paths.js";

/** A bundled sample log's path. */
export const sample = (name: string): string => `${FIXTURES}sample/${name}`;

/**
 * A command line to compare, what it is called, and whether it reads in one pass (workers may
 * or may not do part of it) or must stay on one thread (no worker may reply).
 */
export type ThreadCase = readonly [
  args: string[],
  what: string,
  onePass?: "one pass" | "one thread",
];

/**
 * Each command wrote the same bytes, messages and status on two worker threads as on none, and
 * the workers did part of the work, unless the case says the command reads in one pass (a range
 * whose worker fails is redone on the main thread, so equal output alone would not tell).
 */
function compare(cases: readonly ThreadCase[], threaded: readonly BatchCliResult[]): void {
  cases.forEach(([args, what, onePass], i) => {
    const single = dynlog(args, { env: { DYNLOG_THREADS: "0" } });
    const run = threaded[i] as BatchCliResult;
    assert.ok(single.stdoutBytes.length > 0, `${what}: ${single.stderr}`);
    assert.ok(run.stdoutBytes.equals(single.stdoutBytes), `${what}: output differs`);
    assert.is(run.stderr, single.stderr, what);
    assert.is(run.status, single.status, what);
    if (onePass === undefined) assert.ok(run.workerReplies > 0, `${what}: no worker did its part`);
    if (onePass === "one thread") assert.is(run.workerReplies, 0, `${what}: a worker replied`);
  });
}

/**
 * The threaded runs of a whole suite, planned when the suite loads and run together in one child
 * process when the first test needs them (a child process a test cost its start-up each time).
 */
export class ThreadedPlan {
  private readonly planned: string[][] = [];
  private results: BatchCliResult[] | null = null;

  /** Plans the threaded runs of `cases`; `threadedOf` of what this returns gives their results. */
  add(cases: readonly ThreadCase[]): { cases: readonly ThreadCase[]; from: number } {
    const from = this.planned.length;
    for (const [args] of cases) this.planned.push(args);
    return { cases, from };
  }

  /** The threaded results of planned cases (the whole plan runs on the first call). */
  threadedOf(group: { cases: readonly ThreadCase[]; from: number }): BatchCliResult[] {
    const runs = this.planned.map((args) => ({ args, env: { DYNLOG_THREADS: "2" } }));
    this.results ??= dynlogBatch(runs, 120_000);
    return this.results.slice(group.from, group.from + group.cases.length);
  }

  /** Plans `cases` and registers the test `title` on `suite` that compares them. */
  test(suite: Test, title: string, cases: readonly ThreadCase[]): void {
    const group = this.add(cases);
    suite(title, () => compare(group.cases, this.threadedOf(group)));
  }
}

/** A JSONL record with a time, a level and a message (`m <i>`). */
export const record = (i: number, extra = "") =>
  `{"time":"2025-11-04T09:12:${String(i % 60).padStart(2, "0")}.${String(i).padStart(6, "0")}Z","level":"${["INFO", "WARN", "ERROR", "DEBUG"][i % 4]}","target":"dynamo_llm::t${i % 3}","message":"m ${i}"${extra}}`;

/**
 * Torn records, tracebacks, records without a time, CRLF and invalid UTF-8 among padded records;
 * `prefix` puts a launcher prefix in front of line `i`.
 */
export function hostileLog(lines: number, prefix: (i: number) => string = () => ""): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < lines; i++) {
    let line = record(i, `,"pad":"${"p".repeat(i % 200)}"`);
    if (i % 97 === 0) line = `${record(i).slice(0, 40)}\n${record(i).slice(40)}`;
    if (i % 89 === 0) line += '\nTraceback (most recent call last):\n  File "x.py", line 1\n}';
    if (i % 83 === 0) line = `{"level":"INFO","target":"t","message":"no time ${i}"}`;
    if (i % 79 === 0) line += "\r";
    parts.push(Buffer.from(prefix(i) + line));
    if (i % 71 === 0) parts.push(Buffer.from([0x0a, 0x62, 0xff, 0xfe, 0x7d]));
    parts.push(Buffer.from("\n"));
  }
  return Buffer.concat(parts);
}

/** Writes `hostileLog(lines, prefix)` to `name` in `dir`; returns its path. */
export function hostileFile(
  dir: string,
  name: string,
  lines: number,
  prefix?: (i: number) => string,
): string {
  const path = join(dir, name);
  writeFileSync(path, hostileLog(lines, prefix));
  return path;
}
