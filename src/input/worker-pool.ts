/**
 * Worker threads that take numbered jobs and whose results are taken back in job order: the
 * shape both parallel paths share (the needle search, `convert`). Jobs run at most a few ahead of
 * the one being taken, which bounds the results held in memory.
 *
 * Receives: jobs (each with an `id`, its position). Emits: each job's reply, or a failure.
 * A worker script serves its jobs with `serveJobs`, the thread's side of the protocol below.
 */
import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import { parentPort, type Transferable, Worker, workerData } from "node:worker_threads";

/**
 * The protocol between a pool and its workers. A worker starts with its setup as `workerData`;
 * `{ workerSetup }` replaces it (a kept worker taken by a new pool, see `keepWorkersBetweenRuns`);
 * a job gets one reply, in the order jobs came; `null` asks the worker to finish.
 */
interface SetupMessage {
  workerSetup: unknown;
}

/**
 * The thread's side of a pool: `prepare` turns a setup into the function that answers a job (it
 * runs again for each new setup); each answer is posted back, with the buffers `transfer` lists
 * moved rather than copied. A setup or a job that throws fails the thread (the pool then fails
 * the job and carries on without the worker).
 */
export function serveJobs<S, J, R>(
  prepare: (setup: S) => ((job: J) => R | Promise<R>) | Promise<(job: J) => R | Promise<R>>,
  transfer: (reply: R) => readonly Transferable[] = () => [],
): void {
  const port = parentPort;
  if (port === null) return;
  const fail = (err: unknown) =>
    process.nextTick(() => {
      throw err;
    });
  let answer = Promise.resolve(prepare(workerData as S));
  answer.catch(fail);
  port.on("message", (message: J | SetupMessage | null) => {
    // The pool is done with this worker: closing the port lets the thread end by itself.
    if (message === null) {
      port.close();
      return;
    }
    if (typeof message === "object" && "workerSetup" in message) {
      answer = Promise.resolve(prepare(message.workerSetup as S));
      answer.catch(fail);
      return;
    }
    answer
      .then((serve) => serve(message as J))
      .then((reply) => port.postMessage(reply, transfer(reply) as Transferable[]), fail);
  });
}

/**
 * Worker threads optimise their code on their own thread. With V8's concurrent recompilation a
 * worker could end (or be ended) while a background compile of its code waited for a collection
 * only the worker's own thread can run: the worker never finished, and the process never exited
 * (seen as a followed `tail` on threads that ignored SIGTERM about once in 25 runs; the thread
 * stacks were those of Node's open issue 54918). The flag is read when an isolate starts, so it
 * applies to the workers started from now on, not to this thread; over 1 GB it changed nothing
 * measurable in `convert`'s time.
 */
let synchronousOptimisation = false;
function optimiseWorkersSynchronously(): void {
  if (synchronousOptimisation) return;
  synchronousOptimisation = true;
  setFlagsFromString("--no-concurrent-recompilation");
}

/** Below this much plain input one thread is done before workers would have started. */
const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

/**
 * Worker threads for `totalBytes` of plain input: DYNLOG_THREADS when set (0: none), otherwise two
 * on a machine with two cores or more and enough input to repay their start.
 */
export function workerThreads(totalBytes: number, env = process.env): number {
  const forced = env.DYNLOG_THREADS;
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(Number(forced), 16);
  if (totalBytes < PARALLEL_MIN_BYTES) return 0;
  return availableParallelism() >= 2 ? 2 : 0;
}

/** How long a worker asked to finish may take before it is terminated. */
const CLOSE_GRACE_MS = 2000;

/** Jobs started ahead of the one being taken, per worker. */
const AHEAD_PER_WORKER = 3;

const YOUNG_GENERATION = { maxYoungGenerationSizeMb: 48 };

export type Outcome<R> = { reply: R } | { failure: string };

/**
 * Worker threads running one job each at a time, in the order the caller chooses: `run` hands a
 * job to an idle worker (the caller keeps count with `idleWorkers`). A worker that dies fails its
 * job; the others carry on.
 */
export class WorkerPool<J extends { id: number }, R> {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly pending = new Map<Worker, (outcome: Outcome<R>) => void>();
  private readonly listeners = new Map<Worker, Listeners>();
  private readonly script: string;

  constructor(script: URL, threads: number, setup?: unknown) {
    optimiseWorkersSynchronously();
    this.script = script.href;
    for (let i = 0; i < threads; i++) {
      const worker =
        takeKept(this.script, setup) ??
        // A larger young generation: most of what a worker allocates dies within a line.
        new Worker(script, { workerData: setup, resourceLimits: YOUNG_GENERATION });
      const on: Listeners = {
        message: (reply: unknown) => this.settle(worker, { reply: reply as R }, true),
        error: (err: Error) => this.failed(worker, err),
      };
      worker.on("message", on.message);
      worker.on("error", on.error);
      this.listeners.set(worker, on);
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  /** Workers free to take a job now. */
  get idleWorkers(): number {
    return this.idle.length;
  }

  /** Whether any worker is left (they all died: every job fails). */
  get alive(): boolean {
    return this.workers.length > 0;
  }

  /** Runs `job` on an idle worker; with none left alive, the job fails at once. */
  run(job: J): Promise<Outcome<R>> {
    const worker = this.idle.pop();
    if (worker === undefined) {
      if (this.alive) throw new Error("no idle worker");
      return Promise.resolve({ failure: "no worker left" });
    }
    return new Promise((resolve) => {
      this.pending.set(worker, resolve);
      worker.postMessage(job);
    });
  }

  /**
   * Asks each worker to finish (`null`: it closes its port and its thread ends by itself), and
   * terminates one that has not ended within a grace period (see `finish`). Terminating idle
   * workers outright sometimes aborted the whole process in Node 20 (an assertion in
   * NodePlatform::ForIsolate). When workers are kept between runs, an idle one is kept instead.
   */
  async close(): Promise<void> {
    const ending: Worker[] = [];
    for (const worker of this.workers) {
      const on = this.listeners.get(worker) as Listeners;
      if (this.idle.includes(worker) && kept !== null) {
        worker.off("message", on.message);
        worker.off("error", on.error);
        keep(this.script, worker);
      } else ending.push(worker);
    }
    this.workers.length = 0;
    this.idle.length = 0;
    await Promise.all(ending.map(finish));
  }

  private settle(worker: Worker, outcome: Outcome<R>, reusable: boolean): void {
    const resolve = this.pending.get(worker);
    this.pending.delete(worker);
    if (reusable) this.idle.push(worker);
    resolve?.(outcome);
  }

  private failed(worker: Worker, err: Error): void {
    this.workers.splice(this.workers.indexOf(worker), 1);
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    this.settle(worker, { failure: err.message }, false);
  }
}

interface Listeners {
  message: (reply: unknown) => void;
  error: (err: Error) => void;
}

/**
 * Asks a worker to finish and waits for it to end; one that has not ended within a grace period
 * is terminated, and one that has not ended a grace period after that either is left behind,
 * unreferenced: a run never waits for ever on a thread.
 */
function finish(worker: Worker): Promise<void> {
  return new Promise<void>((resolve) => {
    const giveUp = () => {
      worker.unref();
      resolve();
    };
    const timer = setTimeout(() => {
      void worker.terminate().finally(resolve);
      setTimeout(giveUp, CLOSE_GRACE_MS).unref();
    }, CLOSE_GRACE_MS);
    worker.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    // A worker that fails while it ends is ending anyway.
    worker.on("error", () => {});
    worker.postMessage(null);
  });
}

/**
 * Idle workers kept between runs, by script, once `keepWorkersBetweenRuns` was called; null: a
 * closed pool's workers end (a command runs once a process, and the process ends after it).
 */
let kept: Map<string, Set<Worker>> | null = null;

/**
 * From now on, a closed pool's idle workers are kept, unreferenced, and the next pool of the same
 * script takes them with its own setup: for a process that runs several commands one after the
 * other (the test suites' batches), which then start threads once instead of once a command.
 */
export function keepWorkersBetweenRuns(): void {
  kept ??= new Map();
}

/** Ends the kept workers, each asked to finish as a closing pool asks it. */
export async function endKeptWorkers(): Promise<void> {
  const all = [...(kept?.values() ?? [])].flatMap((set) => [...set]);
  kept?.clear();
  await Promise.all(all.map(finish));
}

/** Keeps `worker` for the next pool of `script` (workers are kept: `kept` is not null). */
function keep(script: string, worker: Worker): void {
  const byScript = kept as Map<string, Set<Worker>>;
  const set = byScript.get(script) ?? new Set<Worker>();
  byScript.set(script, set);
  // One that fails or ends while kept is forgotten.
  const drop = () => {
    set.delete(worker);
    worker.off("error", drop);
    worker.off("exit", drop);
  };
  worker.on("error", drop);
  worker.on("exit", drop);
  droppers.set(worker, drop);
  worker.unref();
  set.add(worker);
}

const droppers = new WeakMap<Worker, () => void>();

/** A kept worker of `script`, referenced again and given `setup`, or undefined. */
function takeKept(script: string, setup: unknown): Worker | undefined {
  const worker = kept?.get(script)?.values().next().value;
  if (worker === undefined) return undefined;
  droppers.get(worker)?.();
  worker.ref();
  worker.postMessage({ workerSetup: setup } satisfies SetupMessage);
  return worker;
}

/**
 * Numbered jobs whose results are taken back in job order. Jobs run at most a few ahead of the
 * one being taken, which bounds the results held in memory.
 */
export class OrderedPool<J extends { id: number }, R> {
  private readonly pool: WorkerPool<J, R>;
  private readonly jobs: J[] = [];
  private readonly results = new Map<number, Outcome<R>>();
  private readonly waiting = new Map<number, (r: Outcome<R>) => void>();
  private readonly threads: number;
  private next = 0;
  private taken = 0;

  constructor(script: URL, threads: number, workerData?: unknown) {
    this.pool = new WorkerPool(script, threads, workerData);
    this.threads = threads;
  }

  /** Queues jobs, numbering them on from the last; returns the id of the first. */
  add(items: readonly Omit<J, "id">[]): number {
    const first = this.jobs.length;
    for (const item of items) this.jobs.push({ ...item, id: this.jobs.length } as J);
    this.dispatch();
    return first;
  }

  /**
   * The outcome of job `id`, the calling thread running the next jobs no worker has yet, at most
   * `ahead` past `id`, while it is not in (it would wait idle otherwise): `run` must answer a job
   * as a worker would, a failure included, never throwing. Between two jobs the event loop turns,
   * so workers' replies come in.
   */
  async takeHelping(id: number, ahead: number, run: (job: J) => R): Promise<Outcome<R>> {
    if (this.results.has(id)) return this.take(id);
    let done = false;
    const pending = this.take(id).then((outcome) => {
      done = true;
      return outcome;
    });
    while (!done && this.next < this.jobs.length && this.next < this.taken + ahead) {
      const job = this.jobs[this.next++] as J;
      this.settle(job.id, { reply: run(job) });
      this.dispatch();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return pending;
  }

  /** The outcome of job `id` (jobs are taken in order, each once). */
  take(id: number): Promise<Outcome<R>> {
    this.taken = id + 1;
    this.dispatch();
    const ready = this.results.get(id);
    if (ready !== undefined) {
      this.results.delete(id);
      return Promise.resolve(ready);
    }
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private dispatch(): void {
    const limit = this.taken + this.threads * AHEAD_PER_WORKER;
    while (this.next < this.jobs.length && this.next < limit) {
      if (this.pool.alive && this.pool.idleWorkers === 0) return;
      const job = this.jobs[this.next++] as J;
      void this.pool.run(job).then((outcome) => {
        this.settle(job.id, outcome);
        this.dispatch();
      });
    }
  }

  private settle(id: number, outcome: Outcome<R>): void {
    const resolve = this.waiting.get(id);
    if (resolve === undefined) this.results.set(id, outcome);
    else {
      this.waiting.delete(id);
      resolve(outcome);
    }
  }
}
