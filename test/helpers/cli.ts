/**
 * Runs dynlog as the tests need it. `dynlog()` runs a command line and waits for it: in-process by
 * default, on a worker thread that runs the CLI's `main` with in-memory standard streams (tens of
 * milliseconds instead of a process start each; the same code the bundle holds), or as a child
 * process (`bin/dynlog`, the built bundle) with `process: true`, where the process is part of what
 * is tested. `dynlogBatch` runs several command lines in one child process, on its main thread
 * (for worker threads, started there as `bin/dynlog` starts them). `spawnDynlog` starts the child
 * for tests that talk to a running process.
 */
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from "node:worker_threads";
import type { WorkerResult } from "./cli-worker.js";
import { BIN, ROOT, TEST_ENV } from "./paths.js";

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export interface CliOptions {
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Run `bin/dynlog` as a child process even without standard input. */
  process?: boolean;
}

/** A result whose text form of standard output is decoded only when a test reads it. */
function result(status: number | null, stdoutBytes: Buffer, stderr: string): CliResult {
  let text: string | null = null;
  return {
    status,
    get stdout() {
      text ??= stdoutBytes.toString("utf8");
      return text;
    },
    stderr,
    stdoutBytes,
  };
}

/** Runs dynlog and waits for it, bounded by a timeout so a hang fails instead (status null). */
export function dynlog(args: string[], options: CliOptions = {}): CliResult {
  const timeoutMs = options.timeoutMs ?? 20000;
  const env = { ...TEST_ENV, ...options.env };
  if (options.process) {
    const run = spawnSync(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      input: options.input ?? "",
      env,
      timeout: timeoutMs,
      maxBuffer: 256 * 1024 * 1024,
    });
    return result(run.status, run.stdout ?? Buffer.alloc(0), (run.stderr ?? "").toString());
  }
  // In-process runs start no worker threads unless a test asks (DYNLOG_THREADS): a pool started
  // from the runner, itself a worker thread, now and then left a worker that would not end under
  // Node 20 (most likely the compile deadlock input/worker-pool.ts now avoids; not tried again).
  // The threaded paths are tested through `dynlogBatch` (range-edges.ts).
  const threads = { DYNLOG_THREADS: "0", ...env };
  return inWorker(args, threads, Buffer.from(options.input ?? ""), timeoutMs);
}

/** One command line of a batch, as `batch-child.ts` reads it. */
export interface BatchRun {
  args: string[];
  env: Record<string, string>;
  /** Standard input, base64. */
  input: string;
  cwd: string;
}

/** What `batch-child.ts` writes for each run. */
export interface BatchResult {
  status: number;
  /** Standard output, base64. */
  stdout: string;
  stderr: string;
  /** Messages the run's worker threads sent (0: none started, or none did its work). */
  workerReplies: number;
}

/** A batch run's result: what `dynlog()` gives, and whether worker threads did work. */
export interface BatchCliResult extends CliResult {
  workerReplies: number;
}

/**
 * Runs several command lines in one child process, one after the other, each through the CLI's
 * `main` on that process's main thread (batch-child.ts): for runs that start worker threads, which
 * a process's main thread starts as `bin/dynlog` does, at half the cost of a process each. A batch
 * past `timeoutMs` reports every run as timed out (status null).
 */
export function dynlogBatch(
  runs: readonly { args: string[]; env?: NodeJS.ProcessEnv; input?: string | Buffer }[],
  timeoutMs = 60000,
): BatchCliResult[] {
  const batch: BatchRun[] = runs.map((r) => ({
    args: r.args,
    env: JSON.parse(JSON.stringify({ ...TEST_ENV, ...r.env })),
    input: Buffer.from(r.input ?? "").toString("base64"),
    cwd: ROOT,
  }));
  const child = spawnSync(process.execPath, [BATCH_CHILD], {
    cwd: ROOT,
    input: JSON.stringify(batch),
    env: TEST_ENV,
    timeout: timeoutMs,
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (child.status !== 0) {
    const why = child.error?.message ?? child.stderr.toString();
    const failed = result(null, Buffer.alloc(0), `the batch failed: ${why}\n`);
    return runs.map(() => ({ ...failed, workerReplies: 0 }));
  }
  const results = JSON.parse(child.stdout.toString()) as BatchResult[];
  return results.map((r) =>
    Object.assign(result(r.status, Buffer.from(r.stdout, "base64"), r.stderr), {
      workerReplies: r.workerReplies,
    }),
  );
}

const BATCH_CHILD = fileURLToPath(new URL("./batch-child.js", import.meta.url));

interface Runner {
  worker: Worker;
  port: MessagePort;
  signal: Int32Array;
}

let runner: Runner | null = null;

function startRunner(): Runner {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL("./cli-worker.js", import.meta.url), {
    workerData: { port: port2, signal },
    transferList: [port2],
    // The big-input tests keep tens of megabytes of records alive: a larger young generation
    // copies them fewer times (the span-shaped big inputs took 8 % less time). The stack is a
    // process's main-thread stack (V8's 984 KiB), not a worker's 4 MiB, so that what would
    // overflow in `bin/dynlog` overflows here too (a 20 000-span chain recursed fine in 4 MiB).
    resourceLimits: { maxYoungGenerationSizeMb: 64, stackSizeMb: 984 / 1024 },
  });
  worker.unref();
  return { worker, port: port1, signal };
}

function inWorker(
  args: string[],
  env: NodeJS.ProcessEnv,
  input: Buffer,
  timeoutMs: number,
): CliResult {
  runner ??= startRunner();
  const { port, signal } = runner;
  Atomics.store(signal, 0, 0);
  port.postMessage({ args, env: JSON.parse(JSON.stringify(env)), input });
  // Waits until the worker says this run is done. A wake-up alone does not say so: the worker
  // stores and then notifies, and the notify of the run before can arrive late, once that run's
  // result was already seen through the stored value.
  const deadline = Date.now() + timeoutMs;
  while (Atomics.load(signal, 0) === 0) {
    const left = deadline - Date.now();
    if (left <= 0 || Atomics.wait(signal, 0, 0, left) === "timed-out") {
      void runner.worker.terminate();
      runner = null;
      return result(null, Buffer.alloc(0), `timed out after ${timeoutMs} ms\n`);
    }
  }
  const message = receiveMessageOnPort(port)?.message as WorkerResult;
  const { buffer, byteOffset, byteLength } = message.stdout;
  return result(message.status, Buffer.from(buffer, byteOffset, byteLength), message.stderr);
}

/** Spawns dynlog asynchronously, for tests that need to interact with the running process. */
export function spawnDynlog(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...TEST_ENV, ...env } });
}

/** Whether the built CLI has this command (`dynlog --help` lists it). */
export function hasCommand(name: string): boolean {
  return dynlog(["--help"]).stdout.includes(`\n  dynlog ${name} `);
}
