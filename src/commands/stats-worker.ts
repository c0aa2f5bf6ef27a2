/**
 * A `stats` worker thread: compiles the main thread's run settings (plain data) into the same run
 * configuration, then takes the statistics of the share of the traces it is sent.
 *
 * Receives: `ShareJob` messages. Emits: one `ShareReply` per job.
 */
import { parentPort, workerData } from "node:worker_threads";
import { compileRunConfig, type RunSettings } from "../config/run-config.js";
import type { Source } from "../model/record.js";
import { TraceShare } from "../trace/share.js";
import { InputFailures, type Io } from "./io.js";
import type { ShareJob, ShareReply, ShareResult } from "./stats-shared.js";
import { summarize } from "./summarize.js";

const config = await compileRunConfig((workerData as { settings: RunSettings }).settings);

async function summarizeShare(job: ShareJob): Promise<ShareResult> {
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

parentPort?.on("message", (job: ShareJob | null) => {
  // The pool is done with this worker: closing the port lets the thread end by itself.
  if (job === null) {
    parentPort?.close();
    return;
  }
  summarizeShare(job).then(
    (result) => parentPort?.postMessage({ id: job.id, ...result } satisfies ShareReply),
    (err: unknown) =>
      parentPort?.postMessage({ id: job.id, failure: String(err) } satisfies ShareReply),
  );
});
