/**
 * Streaming summaries for `tail --traces`: compact span states of the span model per trace in
 * flight; when the request's root span closes, a one-line digest (trace, request id, method +
 * uri, duration, time per service, errors, warnings, spans still open) and the trace is
 * forgotten. A trace whose spans are all inferred (no span events) has no close to wait for: it
 * is summarised once it has been quiet for `INFERRED_QUIET_GRACES` grace periods. Memory is
 * bounded: at most `maxTraces` traces are kept; beyond that the least recently active is
 * dropped and counted, so the caller can say so.
 *
 * Children in another component's log may be read after their root's close (inputs are read
 * independently), so a digest waits `graceMs` after the close before it is written.
 *
 * Receives: records, a clock. Emits: digests that are due.
 */
import type { LogRecord } from "../model/record.js";
import {
  type RecordService,
  SpanPairer,
  type SpanState,
  spanDurationUs,
  traceOfStates,
} from "./span-model.js";

/** A trace without span events is summarised after this many grace periods without records. */
export const INFERRED_QUIET_GRACES = 5;

interface LiveTrace {
  states: SpanState[];
  requestId: string;
  /** When the digest is due (Infinity while the root is open). */
  dueAt: number;
  marked: boolean;
}

export interface TraceDigest {
  traceId: string;
  requestId: string;
  method: string;
  uri: string;
  rootName: string;
  rootService: string;
  durationUs: number;
  /** The root is open or inferred: `durationUs` is a lower bound. */
  durationLowerBound: boolean;
  /** Summed span time per service, other than the root's own, in first-seen order. */
  services: [string, number][];
  warnings: number;
  errors: number;
  /** Spans opened and never closed (so far): service and span name. */
  open: [string, string][];
  /** Spans known from their records only. */
  inferred: number;
}

export class LiveTraces {
  /** Insertion order doubles as recency: a touched trace is moved to the end. */
  private readonly traces = new Map<string, LiveTrace>();
  private readonly pairer: SpanPairer;
  dropped = 0;

  constructor(
    private readonly maxTraces: number,
    private readonly graceMs: number,
    service: RecordService,
  ) {
    this.pairer = new SpanPairer({ service });
  }

  add(rec: LogRecord, nowMs: number): void {
    if (rec.traceId === "" || rec.spanId === "") return;
    let trace = this.traces.get(rec.traceId);
    if (trace === undefined) {
      trace = { states: [], requestId: "", dueAt: Number.POSITIVE_INFINITY, marked: false };
      this.evictIfFull();
    } else {
      this.traces.delete(rec.traceId);
    }
    this.traces.set(rec.traceId, trace);
    if (trace.requestId === "") trace.requestId = rec.requestId;
    const started = this.pairer.started;
    const state = this.pairer.add(rec);
    if (state === null) return;
    if (this.pairer.started !== started) trace.states.push(state);
    if (rec.marker !== null) trace.marked = true;
    if (rec.marker === "closed" && state.parentId === "") trace.dueAt = nowMs + this.graceMs;
    else if (!trace.marked) trace.dueAt = nowMs + this.graceMs * INFERRED_QUIET_GRACES;
  }

  private evictIfFull(): void {
    while (this.traces.size >= this.maxTraces) {
      const oldest = this.traces.keys().next().value as string;
      this.traces.delete(oldest);
      this.pairer.forgetTrace(oldest);
      this.dropped++;
    }
  }

  /** Digests whose grace period is over (every trace when `flushAll`). */
  due(nowMs: number, flushAll = false): TraceDigest[] {
    const out: TraceDigest[] = [];
    for (const [traceId, trace] of this.traces) {
      if (!flushAll && trace.dueAt > nowMs) continue;
      out.push(digest(traceId, trace));
      this.traces.delete(traceId);
      this.pairer.forgetTrace(traceId);
    }
    return out;
  }
}

function digest(traceId: string, live: LiveTrace): TraceDigest {
  const trace = traceOfStates(traceId, live.requestId, live.states, false);
  const root = trace.root;
  const rootService = root?.service ?? "";
  const perService = new Map<string, number>();
  const open: [string, string][] = [];
  for (const span of trace.spans) {
    if (span.flags.has("open")) open.push([span.service, span.name]);
    if (span.service === rootService || !(span.closed || span.flags.has("inferred"))) continue;
    perService.set(span.service, (perService.get(span.service) ?? 0) + spanDurationUs(span));
  }
  return {
    traceId,
    requestId: trace.requestId,
    method: root?.attributes.get("method") ?? "",
    uri: root?.attributes.get("uri") ?? "",
    rootName: root?.name ?? "",
    rootService,
    durationUs: trace.durationUs,
    durationLowerBound: trace.durationLowerBound,
    services: [...perService.entries()],
    warnings: trace.warnings,
    errors: trace.errors,
    open,
    inferred: trace.inferred,
  };
}
