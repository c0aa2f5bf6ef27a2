/**
 * `dynlog convert`: wires inputs, filter and the readable-layout sink into the pipeline. When the
 * output may reach a terminal (and `--raw` was not given), control characters from the data are
 * shown escaped; output to a pipe or a file stays byte-exact.
 *
 * Receives: a resolved run configuration and where to write. Emits: the exit status.
 */

import { noRecordsMatched, type RunConfig } from "../config/run-config.js";
import { checkInput } from "../input/inputs.js";
import { workerThreads } from "../input/worker-pool.js";
import type { Source } from "../model/record.js";
import { OutputWriter } from "../output/writer.js";
import { rangeableSize } from "../parse/record-stream.js";
import { runPipeline } from "../pipeline/run.js";
import { SourceColumn } from "../render/source-column.js";
import { terminalSafe } from "../render/terminal-safe.js";
import { type ConvertTarget, layoutFor } from "../sinks/convert-layout.js";
import { ConvertSink } from "../sinks/convert-sink.js";
import type { Io } from "./io.js";

export async function runConvert(to: ConvertTarget, config: RunConfig, io: Io): Promise<number> {
  const writer = new OutputWriter(io.stdout);
  const safe = config.terminal && !config.raw;
  const column = config.sourceColumn
    ? new SourceColumn(
        config.sources.map((s) => s.label),
        config.color,
        safe ? (s) => terminalSafe(s) : (s) => s,
      )
    : null;
  const sink = new ConvertSink(writer, layoutFor(to, config, safe), safe, column);
  const parallel = parallelPlan(config);
  const merged = parallel === null ? mergedPlan(config) : null;
  let failed = 0;
  let records = 0;
  let rejected = 0;
  const onError = (source: Source, reason: string) => {
    failed++;
    io.inputError(source, reason);
  };
  if (parallel !== null) {
    const { convertInParallel } = await import("../pipeline/parallel-convert.js");
    const run = { ...parallel, to, config, sink, writer, records: 0, rejected: 0, onError };
    await convertInParallel(run);
    records = run.records;
    rejected = run.rejected;
  } else if (merged !== null) {
    const { convertMerged } = await import("../pipeline/merged-convert.js");
    const run = { ...merged, to, config, writer, onError, records: 0, rejected: 0 };
    for (const source of merged.unreadable) onError(source, checkInput(source) as string);
    await convertMerged(run);
    records = run.records;
    rejected = run.rejected;
  } else {
    const result = await runPipeline(config.sources, config.filter, sink, writer, io.inputError);
    failed = result.failedInputs;
  }
  await writer.end();
  if (writer.closed) return 0;
  if (records + sink.records === 0 && rejected + config.filter.rejected > 0) {
    io.warn(noRecordsMatched(config));
  }
  return failed > 0 ? 1 : 0;
}

/**
 * Worker threads convert one large plain file (the filter decides each record by itself, an
 * unparsed line by the record before it).
 */
function parallelPlan(config: RunConfig) {
  const [source, ...others] = config.sources;
  if (source === undefined || others.length > 0 || config.sourceColumn) return null;
  if (checkInput(source) !== null) return null;
  const size = rangeableSize(source);
  const threads = size === null ? 0 : workerThreads(size);
  return size === null || threads === 0 ? null : { source, size, threads };
}

/**
 * Several inputs merged by time go to worker threads when their plain files are large enough
 * to repay them; not with a source column, whose width and colours follow the order in which
 * sources first appear in the merged output.
 */
function mergedPlan(config: RunConfig) {
  if (config.sources.length < 2 || config.sourceColumn) return null;
  const sources = config.sources.filter((s) => checkInput(s) === null);
  const unreadable = config.sources.filter((s) => !sources.includes(s));
  const sizes = sources.map(rangeableSize);
  const threads = workerThreads(sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0));
  return threads === 0 ? null : { sources, unreadable, sizes, threads };
}
