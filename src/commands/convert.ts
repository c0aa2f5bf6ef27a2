/**
 * `dynlog convert`: wires inputs, filter and the readable-layout sink into the pipeline.
 *
 * Receives: a resolved run configuration and where to write. Emits: the exit status.
 */

import type { RunConfig } from "../cli/resolve.js";
import { OutputWriter } from "../output/writer.js";
import { runPipeline } from "../pipeline/run.js";
import { renderDynamoLine } from "../render/dynamo-layout.js";
import { renderDynamoJsonl } from "../render/jsonl-layout.js";
import { ANSI_STYLE, PLAIN_STYLE } from "../render/layout-style.js";
import { ConvertSink, type RecordLayout } from "../sinks/convert-sink.js";
import type { Io } from "./io.js";

export type ConvertTarget = "text" | "jsonl";

export async function runConvert(to: ConvertTarget, config: RunConfig, io: Io): Promise<number> {
  const writer = new OutputWriter(io.stdout);
  const style = config.color ? ANSI_STYLE : PLAIN_STYLE;
  const layout: RecordLayout =
    to === "jsonl" ? renderDynamoJsonl : (rec) => renderDynamoLine(rec, style, config.time);
  const sink = new ConvertSink(writer, layout);
  const result = await runPipeline(config.sources, config.filter, sink, writer, io.inputError);
  await writer.end();
  if (result.outputClosed) return 0;
  return result.failedInputs > 0 ? 1 : 0;
}
