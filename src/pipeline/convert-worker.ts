/**
 * A `convert` worker thread (also `tail`'s, for a file's starting segment): compiles the main
 * thread's run settings (plain data) into the same run configuration, then converts the ranges
 * it is sent.
 *
 * Receives: `ConvertJob` messages. Emits: one `ConvertReply` per job.
 */
import { parentPort, workerData } from "node:worker_threads";
import { compileRunConfig, type RunSettings } from "../config/run-config.js";
import { type ConvertTarget, layoutFor } from "../sinks/convert-layout.js";
import { ConvertSink } from "../sinks/convert-sink.js";
import { TailSink, tailLayoutFor } from "../sinks/tail-sink.js";
import {
  type ConvertJob,
  type ConvertReply,
  convertRange,
  type RangeSink,
} from "./convert-range.js";

/** What ranges are converted to: a `convert` target, or `tail`'s view. */
export type RangeView = ConvertTarget | "tail";

export interface ConvertSetup {
  settings: RunSettings;
  to: RangeView;
}

const setup = workerData as ConvertSetup;
const config = await compileRunConfig(setup.settings);
const sinkFor = rangeSinkFor(setup.to);
const source = config.sources[0];

function rangeSinkFor(to: RangeView): RangeSink {
  // Tail's layout learns launcher prefixes' labels as it goes; each range gets a fresh one. A
  // range that meets a prefix is not settled and the main thread reads on from it, so the ranges
  // whose output is kept draw what one pass would.
  if (to === "tail") return (out) => new TailSink(out, tailLayoutFor(config));
  const safe = config.terminal && !config.raw;
  const layout = layoutFor(to, config, safe);
  return (out) => new ConvertSink(out, layout, safe);
}

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
    reply = convertRange(job, source, filter, sinkFor);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    reply = { id: job.id, error: e.message, code: e.code ?? "" };
  }
  parentPort?.postMessage(reply, "bytes" in reply ? [reply.bytes] : []);
});
