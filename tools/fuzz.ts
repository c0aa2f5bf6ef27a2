// The long fuzz run: `npm run fuzz -- [--seconds N] [--seed S] [--iteration I] [--timeout-ms T]`.
// Iterations run in a worker thread so a hang can be caught: the main thread watches the
// iteration in progress and stops the worker when one takes longer than the time box. Any
// exception, hang or invariant violation prints the seed and iteration (and saves the input),
// which `--seed S --iteration I` replays alone.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { type FuzzFailure, fuzzIteration, loadCorpus } from "./fuzz/engine.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

interface Job {
  seed: number;
  endAt: number;
}

type FromWorker =
  | { kind: "start"; iteration: number }
  | { kind: "failure"; failure: FuzzFailure }
  | { kind: "done"; iterations: number };

function report(f: FuzzFailure): void {
  const file = join(tmpdir(), `dynlog-fuzz-${f.seed}-${f.iteration}.log`);
  writeFileSync(file, Buffer.from(f.input, "latin1"));
  process.stderr.write(
    `fuzz: FAILED at seed ${f.seed} iteration ${f.iteration}: ${f.invariant}\n${f.message}\n` +
      `input (${f.input.length} bytes) saved to ${file}\n` +
      `replay: npm run fuzz -- --seed ${f.seed} --iteration ${f.iteration}\n`,
  );
}

/** Worker side: iterations from 0 until the time is up or one fails. */
function work(job: Job): void {
  const corpus = loadCorpus(ROOT);
  let i = 0;
  for (; Date.now() < job.endAt; i++) {
    parentPort?.postMessage({ kind: "start", iteration: i } satisfies FromWorker);
    const failure = fuzzIteration(corpus, job.seed, i);
    if (failure !== null) {
      parentPort?.postMessage({ kind: "failure", failure } satisfies FromWorker);
      return;
    }
  }
  parentPort?.postMessage({ kind: "done", iterations: i } satisfies FromWorker);
}

function replay(seed: number, iteration: number): number {
  const failure = fuzzIteration(loadCorpus(ROOT), seed, iteration);
  if (failure === null) {
    process.stdout.write(`fuzz: seed ${seed} iteration ${iteration} passes\n`);
    return 0;
  }
  report(failure);
  return 1;
}

function supervise(seed: number, seconds: number, timeoutMs: number): Promise<number> {
  process.stdout.write(`fuzz: seed ${seed}, ${seconds} s, ${timeoutMs} ms per iteration\n`);
  const worker = new Worker(fileURLToPath(import.meta.url), {
    workerData: { seed, endAt: Date.now() + seconds * 1000 } satisfies Job,
  });
  let current = -1;
  let startedAt = Date.now();
  return new Promise((resolve) => {
    const watchdog = setInterval(() => {
      if (current < 0 || Date.now() - startedAt <= timeoutMs) return;
      clearInterval(watchdog);
      process.stderr.write(
        `fuzz: FAILED at seed ${seed} iteration ${current}: hang (over ${timeoutMs} ms)\n` +
          `replay: npm run fuzz -- --seed ${seed} --iteration ${current}\n`,
      );
      void worker.terminate().then(() => resolve(1));
    }, 100);
    worker.on("message", (m: FromWorker) => {
      if (m.kind === "start") {
        current = m.iteration;
        startedAt = Date.now();
        return;
      }
      clearInterval(watchdog);
      if (m.kind === "failure") report(m.failure);
      else process.stdout.write(`fuzz: ${m.iterations} iterations, no failure\n`);
      resolve(m.kind === "failure" ? 1 : 0);
    });
    worker.on("error", (err) => {
      clearInterval(watchdog);
      process.stderr.write(`fuzz: FAILED at seed ${seed} iteration ${current}: ${err.stack}\n`);
      resolve(1);
    });
  });
}

function number(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new Error(`--${name} ${text}: expected a whole number`);
  return Number(text);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string" },
      seed: { type: "string" },
      iteration: { type: "string" },
      "timeout-ms": { type: "string" },
    },
  });
  const seed = number(values.seed, (Date.now() ^ (process.pid << 16)) >>> 0, "seed");
  if (values.iteration !== undefined) return replay(seed, number(values.iteration, 0, "iteration"));
  const seconds = number(values.seconds, 60, "seconds");
  return supervise(seed, seconds, number(values["timeout-ms"], 5000, "timeout-ms"));
}

if (isMainThread) {
  main().then(
    (status) => process.exit(status),
    (err: Error) => {
      process.stderr.write(`fuzz: ${err.message}\n`);
      process.exit(2);
    },
  );
} else {
  work(workerData as Job);
}
