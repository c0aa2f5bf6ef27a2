/**
 * `stats` over large plain files on worker threads: each worker reads every input and summarises
 * its share of the traces (see trace/share.ts); this thread adds the shares up. A trace is
 * summarised whole by one worker, so the statistics take in every span one thread would
 * (percentiles over all durations of a bucket, sums added).
 *
 * Receives: the run configuration and its readable inputs. Emits: one summary of the shares.
 */
import type { RunConfig } from "../config/run-config.js";
import { WorkerPool } from "../input/worker-pool.js";
import {
  SpanStatistics,
  type SpanStats,
  type StatsBucket,
  type Summary,
} from "../trace/summaries.js";
import { type ReadInputs, type ScanOutcome, summarize } from "./summarize.js";

export interface ShareJob {
  /** The share: `id` of `count`. */
  id: number;
  count: number;
  /** The inputs to read, by their place on the command line. */
  inputs: number[];
  needles: Uint8Array[];
}

export interface ShareResult {
  buckets: StatsBucket[];
  spans: number;
  inferred: number;
  inferredInputs: number;
  /** Inputs that failed while being read: their place on the command line, and why. */
  errors: { input: number; reason: string }[];
}

export type ShareReply = ({ id: number } & ShareResult) | { id: number; failure: string };

/** The shares' results added up. */
class SharedSummary implements Summary {
  constructor(private readonly parts: readonly ShareResult[]) {}

  statistics(): SpanStats[] {
    const stats = new SpanStatistics();
    for (const p of this.parts) stats.absorb(p.buckets);
    return stats.rows();
  }

  spanCounts(): { spans: number; inferred: number } {
    let spans = 0;
    let inferred = 0;
    for (const p of this.parts) {
      spans += p.spans;
      inferred += p.inferred;
    }
    return { spans, inferred };
  }
}

export async function statisticsShared(
  config: RunConfig,
  inputs: ReadInputs,
  needles: Buffer[],
  threads: number,
): Promise<{ summaries: Summary; outcome: ScanOutcome }> {
  const script = new URL("./stats-worker.js", import.meta.url);
  const pool = new WorkerPool<ShareJob, ShareReply>(script, threads, { settings: config.settings });
  let replies: ShareReply[];
  try {
    const job = (id: number): ShareJob => ({
      id,
      count: threads,
      inputs: inputs.ok.map((s) => s.index),
      needles: needles.map((n) => new Uint8Array(n)),
    });
    const outcomes = await Promise.all(
      Array.from({ length: threads }, (_, id) => pool.run(job(id))),
    );
    replies = outcomes.map((o) => ("reply" in o ? o.reply : { id: -1, failure: o.failure }));
  } finally {
    await pool.close();
  }
  const parts: ShareResult[] = [];
  for (const reply of replies) {
    // A share that failed (a worker that died) is summarised again here, whole.
    if ("failure" in reply) return await summarize(config, inputs, needles, { rows: false });
    parts.push(reply);
  }
  reportErrors(parts, inputs);
  const outcome = {
    failures: inputs.failures,
    inferredInputs: (parts[0] as ShareResult).inferredInputs,
    inputs: inputs.ok.length,
  };
  return { summaries: new SharedSummary(parts), outcome };
}

/** Each input that failed while being read, reported once (every worker read it). */
function reportErrors(parts: readonly ShareResult[], inputs: ReadInputs): void {
  const seen = new Set<string>();
  for (const { errors } of parts) {
    for (const { input, reason } of errors) {
      const key = `${input}\0${reason}`;
      const source = inputs.ok.find((s) => s.index === input);
      if (seen.has(key) || source === undefined) continue;
      seen.add(key);
      inputs.failures.report(source, reason);
    }
  }
}
