/**
 * One input to batches of records: bytes (gunzipped when needed) -> lines -> records. A batch is
 * what one read chunk yields, so the pipeline awaits once per chunk, not once per line.
 *
 * Receives: a source. Emits: record batches; read errors go to `onError` and end the source.
 */
import { describeFsError, readBytes } from "../input/inputs.js";
import { LineSplitter } from "../input/line-splitter.js";
import { RecordReader } from "../input/record-reader.js";
import type { LogRecord, Source } from "../model/record.js";

export type InputErrorHandler = (source: Source, reason: string) => void;

export async function* recordBatches(
  source: Source,
  onError: InputErrorHandler,
  from = 0,
): AsyncGenerator<LogRecord[]> {
  const reader = new RecordReader(source);
  const splitter = new LineSplitter(reader.pushLine);
  try {
    for await (const chunk of readBytes(source, false, from)) {
      splitter.push(chunk);
      const batch = reader.take();
      if (batch.length > 0) yield batch;
    }
  } catch (err) {
    onError(source, describeFsError(err));
  }
  splitter.end();
  reader.end();
  const rest = reader.take();
  if (rest.length > 0) yield rest;
}
