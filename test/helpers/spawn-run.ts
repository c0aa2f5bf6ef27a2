/**
 * Runs the built CLI asynchronously, time-boxed, for tests that run many commands at once: a run
 * that passes its time limit is killed and reported as timed out (a hang fails instead of
 * blocking the suite). A FIFO input gets a writer process for the run's lifetime. A small pool
 * bounds how many runs go at once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { BIN, ROOT, TEST_ENV } from "./paths.js";

export interface SpawnResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: Buffer;
  stderr: string;
  ms: number;
}

export interface SpawnOptions {
  timeoutMs: number;
  /** Feed the file `source` into the FIFO `path` while the run lasts. */
  fifo?: { path: string; source: string };
  env?: NodeJS.ProcessEnv;
}

/** Collects a child's output until it closes; kills it when `timeoutMs` passes first. */
function finished(child: ChildProcess, timeoutMs: number): Promise<SpawnResult> {
  const started = Date.now();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on("data", (d: Buffer) => out.push(d));
  child.stderr?.on("data", (d: Buffer) => err.push(d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  return new Promise((resolve) => {
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({
        status,
        signal,
        timedOut,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString("utf8"),
        ms: Date.now() - started,
      });
    });
  });
}

export async function runDynlog(args: string[], options: SpawnOptions): Promise<SpawnResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...TEST_ENV, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // `sh -c 'cat … > fifo'` blocks until dynlog opens the FIFO; it is killed with the run.
  const writer = options.fifo
    ? spawn("sh", ["-c", 'cat "$1" > "$2"', "sh", options.fifo.source, options.fifo.path], {
        stdio: "ignore",
      })
    : null;
  const result = await finished(child, options.timeoutMs);
  writer?.kill("SIGKILL");
  return result;
}

/** util-linux `script`, which runs a command on a pseudo-terminal (Debian: bsdutils). */
export const SCRIPT = "/usr/bin/script";

/**
 * Runs dynlog with standard error on a pseudo-terminal (through `script`), standard output
 * discarded: `stderr` of the result is what the terminal showed. Check `existsSync(SCRIPT)`
 * first.
 */
export async function runDynlogOnTerminal(
  args: string[],
  options: SpawnOptions,
): Promise<SpawnResult> {
  const quote = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  const child = spawn(SCRIPT, ["-qefc", `${command} >/dev/null`, "/dev/null"], {
    cwd: ROOT,
    env: { ...TEST_ENV, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const result = await finished(child, options.timeoutMs);
  return { ...result, stderr: result.stdout.toString("utf8"), stdout: Buffer.alloc(0) };
}

/** Runs at most `n` tasks at a time. */
export function pool(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
