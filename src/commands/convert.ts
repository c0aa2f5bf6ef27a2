/**
 * `dynlog convert`: wires inputs, filter and the readable-layout sink into the pipeline. When the
 * output may reach a terminal (and `--raw` was not given), control characters from the data are
 * shown escaped; output to a pipe or a file stays byte-exact.
 *
 * Receives: a resolved run configuration and where to write. Emits: the exit status.
 */

import type { RunConfig } from "../cli/resolve.js";
import { checkInput, plainFileSize } from "../input/inputs.js";
import { workerThreads } from "../input/worker-pool.js";
import { OutputWriter } from "../output/writer.js";
import { runPipeline } from "../pipeline/run.js";
import { type ConvertTarget, layoutFor } from "../sinks/convert-layout.js";
import { ConvertSink } from "../sinks/convert-sink.js";
import type { Io } from "./io.js";

export async function runConvert(to: ConvertTarget, config: RunConfig, io: Io): Promise<number> {
  const writer = new OutputWriter(io.stdout);
  const safe = config.terminal && !config.raw;
  const sink = new ConvertSink(writer, layoutFor(to, config, safe), safe);
  const parallel = parallelPlan(config);
  if (parallel !== null) {
    let failed = 0;
    const { convertInParallel } = await import("../pipeline/parallel-convert.js");
    await convertInParallel({
      ...parallel,
      to,
      config,
      sink,
      writer,
      onError: (source, reason) => {
        failed++;
        io.inputError(source, reason);
      },
    });
    await writer.end();
    return writer.closed || failed === 0 ? 0 : 1;
  }
  const result = await runPipeline(config.sources, config.filter, sink, writer, io.inputError);
  await writer.end();
  if (result.outputClosed) return 0;
  return result.failedInputs > 0 ? 1 : 0;
}

/**
 * Worker threads convert one large plain file (the filter decides each record by itself, an
 * unparsed line by the record before it); merged inputs stay in this thread.
 */
function parallelPlan(config: RunConfig) {
  const [source, ...others] = config.sources;
  if (source === undefined || others.length > 0) return null;
  if (checkInput(source) !== null) return null;
  const size = plainFileSize(source);
  const threads = size === null ? 0 : workerThreads(size);
  return size === null || threads === 0 ? null : { source, size, threads };
}
