/**
 * What every trace export format is: a document written in pieces, so traces are written as they
 * are ready and a large export never becomes one string. `begin` opens the document, `trace`
 * returns the text of one trace (separators included), `finish` closes it.
 *
 * Receives: traces, one at a time. Emits: text.
 */
import type { Trace } from "../trace/span.js";

export interface TraceDocument {
  begin(): string;
  trace(trace: Trace): string;
  finish(): string;
}
