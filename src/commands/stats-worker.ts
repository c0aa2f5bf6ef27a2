/**
 * A `stats` worker thread: compiles the main thread's run settings (plain data) into the same run
 * configuration, then takes the statistics of the share of the traces it is sent.
 *
 * Receives: `ShareJob` messages. Emits: one `ShareReply` per job.
 */
import { compileRunConfig, type RunConfig, type RunSettings } from "../config/run-config.js";
import { serveJobs } from "../input/worker-pool.js";
import type { Source } from "../model/record.js";
import { TraceShare } from "../trace/share.js";
import { InputFailures, type Io } from "./io.js";
import type { ShareJob, ShareReply, ShareResult } from "./stats-shared.js";
import { summarize } from "./summarize.js";

async function summarizeShare(config: RunConfig, job: ShareJob): Promise<ShareResult> {
  const errors: ShareResult["errors"] = [];
  const io: Io = {
    stdout: process.stdout,
    warn: () => {},
    inputError: (source, reason) => errors.push({ input: source.index, reason }),
  };
  const ok = job.inputs.map((i) => config.sources.find((s) => s.index === i) as Source);
  const inputs = { ok, failures: new InputFailures(io) };
  const needles = job.needles.map((n) => Buffer.from(n));
  const share = new TraceShare(job.id, job.count);
  const { summaries, outcome } = await summarize(config, inputs, needles, { rows: false, share });
  // Asked in the order `stats` asks them on one thread.
  const buckets = [...summaries.spanStatistics().all];
  const { spans, inferred } = summaries.spanCounts();
  return { buckets, spans, inferred, inferredInputs: outcome.inferredInputs, errors };
}

serveJobs<{ settings: RunSettings }, ShareJob, ShareReply>(async (setup) => {
  const config = await compileRunConfig(setup.settings);
  return (job) =>
    summarizeShare(config, job).then(
      (result): ShareReply => ({ id: job.id, ...result }),
      (err: unknown): ShareReply => ({ id: job.id, failure: String(err) }),
    );
});
