/**
 * A process behind `dynlogBatch` (cli.ts): runs the command lines it reads as JSON on standard
 * input one after the other, each through the CLI's `main` on this process's main thread with
 * in-memory standard streams (in-memory-main.ts), and writes their results as JSON. Worker
 * threads a command starts are started from a main thread, as by `bin/dynlog`; one process
 * serves several runs, which spares each its start-up, and the runs share their threads.
 */
import { readFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import threads from "node:worker_threads";
import type { BatchResult, BatchRun } from "./cli.js";

// Worker threads count the replies they send, so that a test can tell that the threads did the
// work (a range whose worker failed is converted on the main thread, with the same output).
let replies = 0;
class CountingWorker extends threads.Worker {
  constructor(...args: ConstructorParameters<typeof threads.Worker>) {
    super(...args);
    this.on("message", () => replies++);
  }
}
threads.Worker = CountingWorker;
syncBuiltinESMExports();
const { runMainInMemory } = await import("./in-memory-main.js");
const { endKeptWorkers, keepWorkersBetweenRuns } = await import("../../src/input/worker-pool.js");
// The runs share their worker threads, as one process's pools may (a fresh setup each run): a
// thread's start and its first compiles are most of a small run's cost.
keepWorkersBetweenRuns();

const runs = JSON.parse(readFileSync(0, "utf8")) as BatchRun[];
const results: BatchResult[] = [];
for (const run of runs) {
  replies = 0;
  const { status, stdout, stderr } = await runMainInMemory({
    args: run.args,
    env: run.env,
    input: Buffer.from(run.input, "base64"),
    cwd: run.cwd,
  });
  const out = Buffer.concat(stdout).toString("base64");
  results.push({ status, stdout: out, stderr, workerReplies: replies });
}
await endKeptWorkers();
process.stdout.write(JSON.stringify(results), () => {
  // A worker that would not end cannot keep the batch alive.
  process.exit(0);
});
