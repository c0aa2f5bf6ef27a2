/**
 * `dynlog convert`: wires inputs, filter and the readable-layout sink into the pipeline.
 *
 * Receives: a resolved run configuration and where to write. Emits: the exit status.
 */

import type { RunConfig } from "../cli/resolve.js";
import { OutputWriter } from "../output/writer.js";
import { runPipeline } from "../pipeline/run.js";
import { ANSI_STYLE, PLAIN_STYLE } from "../render/layout-style.js";
import { ConvertSink } from "../sinks/convert-sink.js";
import type { Io } from "./io.js";

export async function runConvert(config: RunConfig, io: Io): Promise<number> {
  const writer = new OutputWriter(io.stdout);
  const sink = new ConvertSink(writer, config.color ? ANSI_STYLE : PLAIN_STYLE, config.time);
  const result = await runPipeline(config.sources, config.filter, sink, writer, io.inputError);
  await writer.end();
  if (result.outputClosed) return 0;
  return result.failedInputs > 0 ? 1 : 0;
}
