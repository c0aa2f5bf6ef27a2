/**
 * `dynlog convert`: wires inputs, filter and the readable-layout sink into the pipeline. When the
 * output may reach a terminal (and `--raw` was not given), control characters from the data are
 * shown escaped; output to a pipe or a file stays byte-exact.
 *
 * Receives: a resolved run configuration and where to write. Emits: the exit status.
 */

import type { RunConfig } from "../cli/resolve.js";
import { OutputWriter } from "../output/writer.js";
import { runPipeline } from "../pipeline/run.js";
import { renderDynamoLine } from "../render/dynamo-layout.js";
import { jsonTerminalSafe, renderDynamoJsonl } from "../render/jsonl-layout.js";
import { ANSI_STYLE, PLAIN_STYLE } from "../render/layout-style.js";
import { ConvertSink, type RecordLayout } from "../sinks/convert-sink.js";
import type { Io } from "./io.js";

export type ConvertTarget = "text" | "jsonl";

function layoutFor(to: ConvertTarget, config: RunConfig, safe: boolean): RecordLayout {
  if (to === "jsonl") {
    return safe ? (rec) => jsonTerminalSafe(renderDynamoJsonl(rec)) : renderDynamoJsonl;
  }
  const style = config.color ? ANSI_STYLE : PLAIN_STYLE;
  return (rec) => renderDynamoLine(rec, style, config.time, safe);
}

export async function runConvert(to: ConvertTarget, config: RunConfig, io: Io): Promise<number> {
  const writer = new OutputWriter(io.stdout);
  const safe = config.terminal && !config.raw;
  const sink = new ConvertSink(writer, layoutFor(to, config, safe), safe);
  const result = await runPipeline(config.sources, config.filter, sink, writer, io.inputError);
  await writer.end();
  if (result.outputClosed) return 0;
  return result.failedInputs > 0 ? 1 : 0;
}
