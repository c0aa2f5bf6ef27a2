/**
 * A `convert` worker thread: compiles the main thread's run settings (plain data) into the same
 * run configuration, then converts the ranges it is sent.
 *
 * Receives: `ConvertJob` messages. Emits: one `ConvertReply` per job.
 */
import { parentPort, workerData } from "node:worker_threads";
import { compileRunConfig, type RunSettings } from "../config/run-config.js";
import { type ConvertTarget, layoutFor } from "../sinks/convert-layout.js";
import { type ConvertJob, type ConvertReply, convertRange } from "./convert-range.js";

export interface ConvertSetup {
  settings: RunSettings;
  to: ConvertTarget;
}

const setup = workerData as ConvertSetup;
const config = await compileRunConfig(setup.settings);
const safe = config.terminal && !config.raw;
const layout = layoutFor(setup.to, config, safe);
const source = config.sources[0];

parentPort?.on("message", (job: ConvertJob | null) => {
  // The pool is done with this worker: closing the port lets the thread end by itself.
  if (job === null) {
    parentPort?.close();
    return;
  }
  let reply: ConvertReply;
  try {
    if (source === undefined) throw new Error("no input");
    // Each range starts afresh: the filter's memory of the record before must not leak across.
    const filter = config.filter.fresh();
    reply = convertRange(job, source, filter, layout, safe);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    reply = { id: job.id, error: e.message, code: e.code ?? "" };
  }
  parentPort?.postMessage(reply, "bytes" in reply ? [reply.bytes] : []);
});
