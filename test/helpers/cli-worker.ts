/**
 * The worker thread behind `dynlog()` (cli.ts) when a command runs in-process: the CLI's `main`
 * with in-memory standard streams (in-memory-main.ts), one command at a time. The caller blocks
 * on `signal` until the result is posted on `port`.
 */
import { type MessagePort, workerData } from "node:worker_threads";
import { type InMemoryRun, runMainInMemory } from "./in-memory-main.js";

export type WorkerRequest = InMemoryRun;

export interface WorkerResult {
  status: number;
  stdout: Uint8Array;
  stderr: string;
}

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

port.on("message", async (request: WorkerRequest) => {
  const { status, stdout: out, stderr } = await runMainInMemory(request);
  // Standard output in memory of its own, moved to the caller rather than copied (outputs of
  // the big-input tests run to tens of megabytes).
  const stdout = new Uint8Array(out.reduce((sum, b) => sum + b.length, 0));
  let at = 0;
  for (const b of out) {
    stdout.set(b, at);
    at += b.length;
  }
  const result: WorkerResult = { status, stdout, stderr };
  port.postMessage(result, [stdout.buffer]);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
