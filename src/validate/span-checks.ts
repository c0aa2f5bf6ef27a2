/**
 * Span consistency across the inputs of a `validate` run, as warnings (the lines are valid; the
 * spans they describe do not add up):
 * - `SPAN_CLOSED` without an opening marker (`SPAN_CREATED`/`SPAN_FIRST_ENTRY`) before it;
 * - a span opened and never closed by the end of its log;
 * - timings: a negative `time.*_us`, or `time.duration_us` ≠ `time.busy_us` + `time.idle_us`
 *   (Dynamo writes their sum; exact, in BigInt, for 20-digit values);
 * - a parent id that no span in the inputs has;
 * - a child that starts before its parent or ends after it (clock skew, or a bad parent id).
 * Spans are paired by the span model (trace/span-model.ts), as every other command pairs them. At
 * most MAX_TRACKED_SPANS are remembered (a few hundred bytes each); past that, span checks stop
 * and say so.
 *
 * Receives: JSON records of each input in order, then the end of each input and of the run.
 * Emits: problems through a callback.
 */
import type { LogRecord } from "../model/record.js";
import { clip } from "../render/terminal-safe.js";
import type { Span } from "../trace/span.js";
import { SpanPairer, type SpanState, traceOfStates } from "../trace/span-model.js";

export const MAX_TRACKED_SPANS = 500_000;

export type SpanProblemSink = (rec: SpanPlace, kind: string, problem: string) => void;

/** Where a problem is: the input (by index) and the physical line. */
export interface SpanPlace {
  sourceIndex: number;
  line: number;
}

const TIMINGS = ["time.busy_us", "time.idle_us", "time.duration_us"] as const;

function describeSpan(span: { spanId: string; name: string }): string {
  return span.name === ""
    ? clip(span.spanId, 40)
    : `${clip(span.name, 60)} ${clip(span.spanId, 40)}`;
}

function placeOf(rec: LogRecord): SpanPlace {
  return { sourceIndex: rec.source.index, line: rec.lineNo };
}

/** Raw integer tokens of the close's timings (null when absent or not an integer). */
function timingsOf(rec: LogRecord): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const f of rec.fields) {
    if (!(TIMINGS as readonly string[]).includes(f.key)) continue;
    if (f.kind === "number" && /^-?\d+$/.test(f.raw)) out.set(f.key, BigInt(f.raw));
  }
  return out;
}

export class SpanChecker {
  private readonly pairer = new SpanPairer({
    service: (rec) => rec.label,
    admit: (rec) => this.admit(rec),
  });
  private readonly all: SpanState[] = [];
  private full = false;

  constructor(private readonly report: SpanProblemSink) {}

  private admit(rec: LogRecord): boolean {
    if (this.all.length < MAX_TRACKED_SPANS) return true;
    if (!this.full) {
      this.full = true;
      this.report(
        placeOf(rec),
        "span checks stopped",
        `more than ${MAX_TRACKED_SPANS} spans: span checks stop at this line`,
      );
    }
    return false;
  }

  /** Takes one JSON record (in input order). */
  observe(rec: LogRecord): void {
    const started = this.pairer.started;
    const state = this.pairer.add(rec);
    if (state === null) return;
    if (this.pairer.started !== started) this.all.push(state);
    if (rec.marker !== "closed") return;
    if (!state.hasOpen) {
      this.report(
        placeOf(rec),
        "SPAN_CLOSED without an opening",
        `SPAN_CLOSED of span ${describeSpan(state)} without SPAN_CREATED or SPAN_FIRST_ENTRY before it`,
      );
    }
    this.checkTimings(rec);
  }

  /** The end of input `sourceIndex`: its spans still open never closed. */
  endSource(sourceIndex: number): void {
    this.pairer.endSource(sourceIndex, (state) => {
      if (!state.hasOpen || state.hasClose) return;
      this.report(
        state,
        "span open at end of log",
        `span ${describeSpan(state)} opened here never closes (open at end of log)`,
      );
    });
  }

  /** The end of the run: parents that no input has, children outside their parent's time. */
  end(): void {
    const byTrace = new Map<string, SpanState[]>();
    for (const s of this.all) {
      const list = byTrace.get(s.traceId);
      if (list === undefined) byTrace.set(s.traceId, [s]);
      else list.push(s);
    }
    for (const [traceId, states] of byTrace) {
      const trace = traceOfStates(traceId, "", states, false);
      for (const s of [...trace.spans].sort(
        (a, b) => a.sourceIndex - b.sourceIndex || a.line - b.line,
      )) {
        if (s.flags.has("orphan")) {
          this.report(
            s,
            "unknown parent",
            `span ${describeSpan(s)} has parent ${clip(s.parentId, 40)}, which no input has`,
          );
        } else if (s.flags.has("skew") && s.parent !== null) this.reportRange(s, s.parent);
      }
    }
  }
  private checkTimings(rec: LogRecord): void {
    // The common case (three safe non-negative integers) is read from the record as numbers;
    // the raw tokens are only looked at when one of them is not such a number.
    if (!Number.isNaN(rec.busyUs) && !Number.isNaN(rec.idleUs) && !Number.isNaN(rec.durationUs)) {
      if (rec.busyUs + rec.idleUs !== rec.durationUs) {
        this.reportSum(rec, BigInt(rec.durationUs), BigInt(rec.busyUs), BigInt(rec.idleUs));
      }
      return;
    }
    const t = timingsOf(rec);
    for (const [key, value] of t) {
      if (value < 0n)
        this.report(placeOf(rec), "negative span time", `${key} is negative (${value})`);
    }
    const busy = t.get("time.busy_us");
    const idle = t.get("time.idle_us");
    const duration = t.get("time.duration_us");
    if (busy === undefined || idle === undefined || duration === undefined) return;
    if (busy + idle !== duration) this.reportSum(rec, duration, busy, idle);
  }

  private reportSum(rec: LogRecord, duration: bigint, busy: bigint, idle: bigint): void {
    this.report(
      placeOf(rec),
      "duration is not busy + idle",
      `time.duration_us ${duration} is not time.busy_us ${busy} + time.idle_us ${idle}`,
    );
  }

  private reportRange(child: Span, parent: Span): void {
    const early = child.startUs < parent.startUs;
    const how = early
      ? `starts ${parent.startUs - child.startUs}µs before`
      : `ends ${child.endUs - parent.endUs}µs after`;
    this.report(
      child,
      "child outside its parent's time range",
      `span ${describeSpan(child)} ${how} its parent ${describeSpan(parent)}`,
    );
  }
}
