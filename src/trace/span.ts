/**
 * Spans and traces rebuilt from log records. A span is known from its markers (`SPAN_CREATED` or
 * `SPAN_FIRST_ENTRY`, `SPAN_CLOSED`) and the events logged inside it; anything the logs did not
 * say (a missing marker, a parent in a log that was not given) is recorded as a flag, so views can
 * show it instead of guessing silently.
 */
import type { LogRecord } from "../model/record.js";

export type SpanFlag =
  /** Opened but never closed: still running, or its process died. Ends at its last record. */
  | "open"
  /** Its parent span is in no given log: shown as a root, parent id kept. */
  | "orphan"
  /** No marker at all (DYN_LOG=info hides DEBUG span events): known only from its events. */
  | "inferred"
  /** Only `SPAN_CLOSED` survived: start = close time - time.duration_us. */
  | "start-from-duration"
  /** Another span (or another instance) carries the same span id. */
  | "duplicate-id"
  /** Starts before its parent or ends after it: the hosts' clocks disagree. */
  | "skew"
  /** Its parent chain loops back to it; the loop was cut here. */
  | "cycle";

export interface Span {
  spanId: string;
  /** As written; "" for a root. Kept for orphans. */
  parentId: string;
  name: string;
  target: string;
  service: string;
  /** Source label of the log the span came from. */
  source: string;
  /** Index of the input the span came from. */
  sourceIndex: number;
  /** Line of its opening marker, else of its close, else of its first record (0: unknown). */
  line: number;
  /** Code location its opening marker (else its close) names: `file` and `line`, "" unknown. */
  codeFile: string;
  codeLine: string;
  startUs: number;
  /** Close time; for an open span, the time of its last record. */
  endUs: number;
  closed: boolean;
  durationUs: number | null;
  busyUs: number | null;
  idleUs: number | null;
  /** The span's own fields (method, uri, component, endpoint, instance_id, ...). */
  attributes: Map<string, string>;
  /** Events logged inside the span, in time order (markers excluded): all of them, or the
   *  earliest when the assembler was given a bound. */
  records: LogRecord[];
  /** Events logged inside the span that were not kept (beyond the assembler's bound). */
  droppedRecords: number;
  /** Its earliest ERROR record (kept or not), else null. */
  firstError: LogRecord | null;
  warnings: number;
  errors: number;
  flags: Set<SpanFlag>;
  parent: Span | null;
  children: Span[];
  /** On the chain of spans that determined the end-to-end time. */
  critical: boolean;
  depth: number;
}

export interface Trace {
  traceId: string;
  requestId: string;
  roots: Span[];
  /** All spans, in tree order (depth-first, children by start time). */
  spans: Span[];
  startUs: number;
  endUs: number;
  services: string[];
  depth: number;
  /** The request's root: the earliest span without a parent id, else the earliest root. */
  root: Span | null;
  /** The request's duration: its root's (NaN without spans); `startUs`..`endUs` may be wider
   *  when other hosts' clocks disagree. */
  durationUs: number;
  /** The root is open or inferred: `durationUs` is a lower bound. */
  durationLowerBound: boolean;
  /** Spans opened and never closed. */
  open: number;
  /** Spans known from their records only (no span events). */
  inferred: number;
  warnings: number;
  errors: number;
}

/** The span's extent for drawing and ordering. */
export function spanExtentUs(span: Span): number {
  return Math.max(0, span.endUs - span.startUs);
}
