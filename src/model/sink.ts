/**
 * The sink contract: where the records of a run go. Every view is a sink; the pipeline
 * (`pipeline/run.ts`) reads, merges and filters, and drives it:
 *
 * - `begin()` is called once, before the first record (also when no record will come).
 * - `record(rec)` is called once per record the filter kept, in output order: by time across
 *   inputs, in input order within one. Unparsed lines (tracebacks, prints) are records too
 *   (`kind === "unparsed"`) and come right after the record they follow. A streaming sink writes
 *   here; a collecting sink (traces, stats) only gathers. `record` must not throw for bad data:
 *   bad input is normal input.
 * - `finish()` is called once after the last record, when every input was read to its end (or
 *   failed, which was reported). A collecting sink writes its view here. It may be async; the run
 *   resolves after it.
 *
 * What stops a run early: the reader of the output went away (a closed pipe, `| head`). Then no
 * more records are offered and `finish` is not called: nobody would read what it writes. An input
 * that cannot be read does not stop the run; it is reported and the others go on. A failed write
 * (a full disk) ends the process with `write error` (see `output/writer.ts`).
 *
 * Receives: records. Emits: whatever the sink writes.
 */
import type { LogRecord } from "./record.js";

export interface Sink {
  begin?(): void;
  record(rec: LogRecord): void;
  finish?(): void | Promise<void>;
}
