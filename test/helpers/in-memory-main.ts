/**
 * The CLI's `main` run in this thread with in-memory standard input, output and error and an
 * environment of the caller's, restored afterwards. The worker behind `dynlog()` (cli-worker.ts)
 * runs commands this way; so do tests that need a command to run on their own event loop (a
 * receiver it pushes to) or in a working directory of their own (`cwd`, main thread only: a
 * worker cannot change directory). One command at a time: these are the process's globals.
 */
import { Readable, Writable } from "node:stream";
import { main } from "../../src/cli/main.js";
import { streamIo } from "../../src/commands/io.js";
import { ROOT, TEST_ENV } from "./paths.js";
import type { SpawnResult } from "./spawn-run.js";

export interface InMemoryRun {
  args: string[];
  env: Record<string, string>;
  /** What the command reads as standard input (a pipe that ends after it). */
  input: Uint8Array;
  cwd?: string;
}

export interface InMemoryResult {
  status: number;
  /** Standard output as written, chunk by chunk. */
  stdout: Buffer[];
  stderr: string;
}

/**
 * A stream that keeps what is written. Chunks are copied, as a pipe would: the writer reuses a
 * buffer once its write has completed.
 */
function collector(into: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      into.push(Buffer.from(chunk));
      done();
    },
  });
}

export async function runMainInMemory(run: InMemoryRun): Promise<InMemoryResult> {
  const env = { ...process.env };
  const stdin = Object.getOwnPropertyDescriptor(process, "stdin");
  const cwd = process.cwd();
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, run.env);
  Object.defineProperty(process, "stdin", {
    value: Readable.from(run.input.length > 0 ? [Buffer.from(run.input)] : []),
    configurable: true,
    writable: true,
  });
  if (run.cwd !== undefined) process.chdir(run.cwd);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stderr = collector(err);
  let status: number;
  try {
    status = await main(run.args, streamIo(collector(out), stderr));
  } catch (error) {
    // As the entry point reports it (cli/entry.ts).
    stderr.write(`dynlog: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    status = 70;
  } finally {
    if (run.cwd !== undefined) process.chdir(cwd);
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, env);
    if (stdin !== undefined) Object.defineProperty(process, "stdin", stdin);
  }
  return { status, stdout: out, stderr: Buffer.concat(err).toString("utf8") };
}

/**
 * A command run here, in this thread, as `runDynlog` (spawn-run.ts) would report it, over the
 * tests' environment (an `undefined` in `env` removes a variable): for tests whose command must
 * reach something on this event loop (a loopback receiver) or run in a directory of its own. A run past
 * `timeoutMs` is reported as timed out (status null); it cannot be stopped, so a hang fails the test.
 */
export async function runHere(
  args: string[],
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv; cwd?: string; input?: Uint8Array },
): Promise<SpawnResult> {
  const started = Date.now();
  const env = Object.fromEntries(
    Object.entries({ ...TEST_ENV, ...options.env }).filter(
      (e): e is [string, string] => e[1] !== undefined,
    ),
  );
  const input = options.input ?? new Uint8Array(0);
  const run = runMainInMemory({ args, env, input, cwd: options.cwd ?? ROOT });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), options.timeoutMs);
  });
  const result = await Promise.race([run, late]);
  clearTimeout(timer);
  return {
    status: result?.status ?? null,
    signal: null,
    timedOut: result === null,
    stdout: Buffer.concat(result?.stdout ?? []),
    stderr: result?.stderr ?? "",
    ms: Date.now() - started,
  };
}
