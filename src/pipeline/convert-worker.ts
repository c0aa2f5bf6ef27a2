/**
 * A `convert` worker thread (also `tail`'s, for a file's starting segment): compiles the main
 * thread's run settings (plain data) into the same run configuration, then converts the ranges
 * it is sent.
 *
 * Receives: `ConvertJob` messages. Emits: one `ConvertReply` per job.
 */
import { compileRunConfig, type RunSettings } from "../config/run-config.js";
import { serveJobs } from "../input/worker-pool.js";
import {
  type ConvertJob,
  type ConvertReply,
  convertJob,
  type RangeView,
  rangeSinkFor,
  transferredBy,
} from "./convert-range.js";

export interface ConvertSetup {
  settings: RunSettings;
  to: RangeView;
}

serveJobs<ConvertSetup, ConvertJob, ConvertReply>(async (setup) => {
  const config = await compileRunConfig(setup.settings);
  const sinkFor = rangeSinkFor(config, setup.to);
  return (job) => convertJob(job, config, sinkFor);
}, transferredBy);
