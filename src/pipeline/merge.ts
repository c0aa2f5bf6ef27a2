/**
 * Merges several inputs by record time, streaming: each input is assumed mostly time-ordered, so
 * at any moment only the current batch of each input is held. A record carries its unparsed
 * followers (a traceback after an error) along: they share its order time and its input, and
 * ties go to the input named first, so nothing is pulled apart.
 *
 * Receives: one batch stream per input. Emits: batches of records in time order.
 */
import type { LogRecord } from "../model/record.js";

const OUTPUT_BATCH = 4096;

interface Cursor {
  readonly index: number;
  readonly stream: AsyncIterator<LogRecord[]>;
  batch: LogRecord[];
  pos: number;
}

async function refill(cursor: Cursor): Promise<boolean> {
  for (;;) {
    const next = await cursor.stream.next();
    if (next.done) return false;
    if (next.value.length > 0) {
      cursor.batch = next.value;
      cursor.pos = 0;
      return true;
    }
  }
}

function head(cursor: Cursor): LogRecord {
  return cursor.batch[cursor.pos] as LogRecord;
}

/** True when `a`'s head goes before `b`'s (earlier time, or same time and earlier input). */
function before(a: Cursor, b: Cursor): boolean {
  const ta = head(a).orderUs;
  const tb = head(b).orderUs;
  return ta < tb || (ta === tb && a.index < b.index);
}

export async function* mergeByTime(
  streams: AsyncIterable<LogRecord[]>[],
): AsyncGenerator<LogRecord[]> {
  const live: Cursor[] = [];
  for (const [index, stream] of streams.entries()) {
    const cursor: Cursor = { index, stream: stream[Symbol.asyncIterator](), batch: [], pos: 0 };
    if (await refill(cursor)) live.push(cursor);
  }
  let out: LogRecord[] = [];
  try {
    while (live.length > 0) {
      let best = live[0] as Cursor;
      let second: Cursor | null = null;
      for (let i = 1; i < live.length; i++) {
        const c = live[i] as Cursor;
        if (before(c, best)) {
          second = best;
          best = c;
        } else if (second === null || before(c, second)) {
          second = c;
        }
      }
      // Take from the best input while it stays ahead of the runner-up.
      do {
        out.push(head(best));
        best.pos++;
      } while (
        best.pos < best.batch.length &&
        (second === null || head(best).kind === "unparsed" || !before(second, best))
      );
      if (best.pos >= best.batch.length) {
        if (out.length > 0) {
          yield out;
          out = [];
        }
        if (!(await refill(best))) live.splice(live.indexOf(best), 1);
      } else if (out.length >= OUTPUT_BATCH) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
  } finally {
    for (const cursor of live) await cursor.stream.return?.();
  }
}
