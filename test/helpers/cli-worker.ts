/**
 * The worker thread behind `dynlog()` (cli.ts) when a command runs in-process: the CLI's `main`
 * with in-memory standard input, output and error and the environment the caller gave, one
 * command at a time. The caller blocks on `signal` until the result is posted on `port`.
 */
import { Readable, Writable } from "node:stream";
import { type MessagePort, workerData } from "node:worker_threads";
import { main } from "../../src/cli/main.js";
import { streamIo } from "../../src/commands/io.js";

export interface WorkerRequest {
  args: string[];
  env: Record<string, string>;
  /** What the command reads as standard input (a pipe that ends after it). */
  input: Uint8Array;
}

export interface WorkerResult {
  status: number;
  stdout: Uint8Array;
  stderr: string;
}

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

function collector(into: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      into.push(chunk);
      done();
    },
  });
}

port.on("message", async ({ args, env, input }: WorkerRequest) => {
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, env);
  Object.defineProperty(process, "stdin", {
    value: Readable.from(input.length > 0 ? [Buffer.from(input)] : []),
    configurable: true,
    writable: true,
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stderr = collector(err);
  let status: number;
  try {
    status = await main(args, streamIo(collector(out), stderr));
  } catch (error) {
    // As the entry point reports it (cli/entry.ts).
    stderr.write(`dynlog: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    status = 70;
  }
  const result: WorkerResult = {
    status,
    stdout: Buffer.concat(out),
    stderr: Buffer.concat(err).toString("utf8"),
  };
  port.postMessage(result);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
