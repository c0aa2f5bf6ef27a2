/**
 * Streaming span assembly for `tail --traces`: keeps the spans of open traces, and when a root
 * span closes, produces a one-line summary (trace, request id, method + uri, duration, time per
 * service) and forgets the trace. Memory is bounded: at most `maxTraces` traces are kept; beyond
 * that the least recently active is dropped and counted, so the caller can say so.
 *
 * Children in another component's log may be read after their root's close (inputs are read
 * independently), so a summary waits `graceMs` after the close before it is written.
 *
 * Receives: records, a clock. Emits: summaries that are due.
 */
import type { LogRecord } from "../model/record.js";
import { lookupValue } from "../parse/normalize.js";

interface LiveSpan {
  parentId: string;
  name: string;
  label: string;
  durationUs: number;
}

interface LiveTrace {
  spans: Map<string, LiveSpan>;
  requestId: string;
  method: string;
  uri: string;
  rootId: string;
  rootDurationUs: number;
  dueAt: number;
}

export interface TraceDigest {
  traceId: string;
  requestId: string;
  method: string;
  uri: string;
  rootName: string;
  rootService: string;
  durationUs: number;
  /** Summed closed-span time per service, other than the root's own, in first-seen order. */
  services: [string, number][];
}

export class LiveTraces {
  /** Insertion order doubles as recency: a touched trace is moved to the end. */
  private readonly traces = new Map<string, LiveTrace>();
  dropped = 0;

  constructor(
    private readonly maxTraces: number,
    private readonly graceMs: number,
    private readonly serviceOf: (label: string) => string,
  ) {}

  add(rec: LogRecord, nowMs: number): void {
    if (rec.traceId === "" || rec.spanId === "" || rec.marker === null) return;
    let trace = this.traces.get(rec.traceId);
    if (trace === undefined) {
      trace = {
        spans: new Map(),
        requestId: "",
        method: "",
        uri: "",
        rootId: "",
        rootDurationUs: Number.NaN,
        dueAt: Number.POSITIVE_INFINITY,
      };
      this.evictIfFull();
    } else {
      this.traces.delete(rec.traceId);
    }
    this.traces.set(rec.traceId, trace);
    if (trace.requestId === "") trace.requestId = rec.requestId;
    let span = trace.spans.get(rec.spanId);
    if (span === undefined) {
      span = {
        parentId: rec.parentId,
        name: rec.spanName,
        label: rec.label,
        durationUs: Number.NaN,
      };
      trace.spans.set(rec.spanId, span);
    }
    if (rec.marker !== "closed") return;
    span.durationUs = Number.isNaN(rec.durationUs) ? rec.busyUs + rec.idleUs : rec.durationUs;
    if (rec.parentId === "") {
      trace.rootId = rec.spanId;
      trace.rootDurationUs = span.durationUs;
      trace.method = lookupValue(rec, "method") ?? "";
      trace.uri = lookupValue(rec, "uri") ?? "";
      trace.dueAt = nowMs + this.graceMs;
    }
  }

  private evictIfFull(): void {
    while (this.traces.size >= this.maxTraces) {
      const oldest = this.traces.keys().next().value as string;
      this.traces.delete(oldest);
      this.dropped++;
    }
  }

  /** Summaries whose grace period is over (all closed roots when `flushAll`). */
  due(nowMs: number, flushAll = false): TraceDigest[] {
    const out: TraceDigest[] = [];
    for (const [traceId, trace] of this.traces) {
      if (trace.rootId === "" || (!flushAll && trace.dueAt > nowMs)) continue;
      out.push(this.digest(traceId, trace));
      this.traces.delete(traceId);
    }
    return out;
  }

  private digest(traceId: string, trace: LiveTrace): TraceDigest {
    const root = trace.spans.get(trace.rootId) as LiveSpan;
    const rootService = this.serviceOf(root.label);
    const perService = new Map<string, number>();
    for (const span of trace.spans.values()) {
      const service = this.serviceOf(span.label);
      if (service === rootService || Number.isNaN(span.durationUs)) continue;
      perService.set(service, (perService.get(service) ?? 0) + span.durationUs);
    }
    return {
      traceId,
      requestId: trace.requestId,
      method: trace.method,
      uri: trace.uri,
      rootName: root.name,
      rootService,
      durationUs: trace.rootDurationUs,
      services: [...perService.entries()],
    };
  }
}
