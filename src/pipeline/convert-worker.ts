/**
 * A `convert` worker thread (also `tail`'s, for a file's starting segment): compiles the main
 * thread's run settings (plain data) into the same run configuration, then converts the ranges
 * it is sent.
 *
 * Receives: `ConvertJob` messages. Emits: one `ConvertReply` per job.
 */
import { parentPort, workerData } from "node:worker_threads";
import { compileRunConfig, type RunSettings } from "../config/run-config.js";
import {
  type ConvertJob,
  convertJob,
  type RangeView,
  rangeSinkFor,
  transferredBy,
} from "./convert-range.js";

export interface ConvertSetup {
  settings: RunSettings;
  to: RangeView;
}

const setup = workerData as ConvertSetup;
const config = await compileRunConfig(setup.settings);
const sinkFor = rangeSinkFor(config, setup.to);

parentPort?.on("message", (job: ConvertJob | null) => {
  // The pool is done with this worker: closing the port lets the thread end by itself.
  if (job === null) {
    parentPort?.close();
    return;
  }
  const reply = convertJob(job, config, sinkFor);
  parentPort?.postMessage(reply, transferredBy(reply));
});
