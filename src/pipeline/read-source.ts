/**
 * One input to batches of records: bytes (gunzipped when needed) -> lines -> records. A batch is
 * what one read chunk yields, so the pipeline awaits once per chunk, not once per line.
 *
 * Receives: a source. Emits: record batches; read errors go to `onError` and end the source.
 */
import { describeFsError, readBytes, readsOnce } from "../input/inputs.js";
import { LineSplitter } from "../input/line-splitter.js";
import { RecordReader } from "../input/record-reader.js";
import type { LogRecord, Source } from "../model/record.js";

export type InputErrorHandler = (source: Source, reason: string) => void;

/** A readable record held for its continuation lines is let go after this much quiet on a pipe. */
const QUIET_MS = 200;

/**
 * The next chunk, or null when a live input (stdin, a FIFO) stays quiet for `QUIET_MS` while the
 * reader holds a readable record for possible continuation lines: the caller then lets that
 * record go, so a live pipe shows it without waiting for the next line. Files never wait.
 */
async function chunkOrQuiet(
  next: Promise<IteratorResult<Buffer>>,
  wait: boolean,
): Promise<IteratorResult<Buffer> | null> {
  if (!wait) return next;
  let timer: NodeJS.Timeout | undefined;
  const quiet = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), QUIET_MS);
  });
  const first = await Promise.race([next, quiet]);
  clearTimeout(timer);
  return first;
}

export async function* recordBatches(
  source: Source,
  onError: InputErrorHandler,
  from = 0,
): AsyncGenerator<LogRecord[]> {
  const reader = new RecordReader(source);
  const splitter = new LineSplitter(reader.pushLine);
  const live = readsOnce(source);
  let chunks: AsyncIterator<Buffer> | null = null;
  try {
    chunks = readBytes(source, false, from)[Symbol.asyncIterator]();
    for (;;) {
      const next = chunks.next();
      let result = await chunkOrQuiet(next, live && reader.holdsReadable);
      if (result === null) {
        reader.flushReadable();
        yield reader.take();
        result = await next;
      }
      if (result.done) break;
      splitter.push(result.value);
      const batch = reader.take();
      if (batch.length > 0) yield batch;
    }
  } catch (err) {
    onError(source, describeFsError(err));
  } finally {
    // Ended early (the output closed): the input is closed as `for await` would close it. Not
    // awaited: a read may still be pending on a quiet pipe.
    chunks?.return?.()?.catch(() => {});
  }
  splitter.end();
  reader.end();
  const rest = reader.take();
  if (rest.length > 0) yield rest;
}
