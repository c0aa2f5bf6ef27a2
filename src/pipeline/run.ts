/**
 * Drives a run: inputs -> records -> (merge by time) -> filter -> sink (the contract: model/sink.ts). Knows nothing of the
 * command line; the CLI builds the sources, the filter and the sink and hands them over.
 *
 * Receives: sources, a record filter, a sink, the output writer and an error log.
 * Emits: records into the sink; resolves when the inputs are exhausted or the output is closed.
 */

import type { RecordFilter } from "../filter/record-filter.js";
import { checkInput } from "../input/inputs.js";
import type { LogRecord, Source } from "../model/record.js";
import type { Sink } from "../model/sink.js";
import type { OutputWriter } from "../output/writer.js";
import { type InputErrorHandler, readRecords } from "../parse/record-stream.js";
import { mergeByTime } from "./merge.js";

export interface RunResult {
  /** Inputs that could not be read (reported already). */
  failedInputs: number;
  /** Records offered to the sink after filtering. */
  kept: number;
  /** Whether the reader of our output went away before the end. */
  outputClosed: boolean;
}

export async function runPipeline(
  sources: Source[],
  filter: RecordFilter,
  sink: Sink,
  writer: OutputWriter,
  reportError: InputErrorHandler,
): Promise<RunResult> {
  let failedInputs = 0;
  const onError: InputErrorHandler = (source, reason) => {
    failedInputs++;
    reportError(source, reason);
  };
  const readable: Source[] = [];
  for (const source of sources) {
    const problem = checkInput(source);
    if (problem === null) readable.push(source);
    else onError(source, problem);
  }
  const streams = readable.map((source) => readRecords(source, onError));
  const batches =
    streams.length === 1 ? (streams[0] as AsyncIterable<LogRecord[]>) : mergeByTime(streams);
  let kept = 0;
  sink.begin?.();
  for await (const batch of batches) {
    for (const rec of batch) {
      if (filter.keep(rec)) {
        sink.record(rec);
        kept++;
      }
    }
    if (writer.closed) break;
    await writer.ready();
  }
  if (!writer.closed) await sink.finish?.();
  return { failedInputs, kept, outputClosed: writer.closed };
}
