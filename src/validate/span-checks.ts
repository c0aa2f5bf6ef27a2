/**
 * Span consistency across the inputs of a `validate` run, as warnings (the lines are valid; the
 * spans they describe do not add up):
 * - `SPAN_CLOSED` without an opening marker (`SPAN_CREATED`/`SPAN_FIRST_ENTRY`) before it;
 * - a span opened and never closed by the end of its log;
 * - timings: a negative `time.*_us`, or `time.duration_us` ≠ `time.busy_us` + `time.idle_us`
 *   (Dynamo writes their sum; exact, in BigInt, for 20-digit values);
 * - a parent id that no span in the inputs has;
 * - a child that starts before its parent or ends after it (clock skew, or a bad parent id).
 * Spans are instances per (source label, span id), as `trace` pairs them. At most
 * MAX_TRACKED_SPANS are remembered (about 150 bytes each); past that, span checks stop and say so.
 *
 * Receives: JSON records of each input in order, then the end of each input and of the run.
 * Emits: problems through a callback.
 */
import type { LogRecord } from "../model/record.js";
import { clip } from "../render/terminal-safe.js";

export const MAX_TRACKED_SPANS = 500_000;

export type SpanProblemSink = (rec: SpanPlace, kind: string, problem: string) => void;

/** Where a problem is: the input (by index) and the physical line. */
export interface SpanPlace {
  sourceIndex: number;
  line: number;
}

interface SpanEntry extends SpanPlace {
  spanId: string;
  parentId: string;
  name: string;
  opened: boolean;
  closed: boolean;
  startUs: number;
  endUs: number;
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
  private readonly current = new Map<string, SpanEntry>();
  private readonly all: SpanEntry[] = [];
  private full = false;

  constructor(private readonly report: SpanProblemSink) {}

  /** Takes one JSON record (in input order). */
  observe(rec: LogRecord): void {
    if (rec.spanId === "") return;
    const key = `${rec.source.index}\u0000${rec.label}\u0000${rec.spanId}`;
    const opening = rec.marker === "created" || rec.marker === "first_entry";
    const known = this.current.get(key);
    const entry =
      known === undefined || known.closed || (opening && known.opened)
        ? this.track(key, rec)
        : known;
    if (entry === null) return;
    if (entry.parentId === "") entry.parentId = rec.parentId;
    if (entry.name === "") entry.name = rec.spanName;
    if (opening) {
      entry.opened = true;
      entry.line = rec.lineNo;
      entry.startUs = rec.timeUs;
    } else if (rec.marker === "closed") this.close(entry, rec);
  }

  /** The end of input `sourceIndex`: its spans still open never closed. */
  endSource(sourceIndex: number): void {
    for (const [key, entry] of this.current) {
      if (entry.sourceIndex !== sourceIndex) continue;
      if (entry.opened && !entry.closed) {
        this.report(
          entry,
          "span open at end of log",
          `span ${describeSpan(entry)} opened here never closes (open at end of log)`,
        );
      }
      this.current.delete(key);
    }
  }

  /** The end of the run: parents that no input has, children outside their parent's time. */
  end(): void {
    const byId = new Map<string, SpanEntry>();
    for (const s of this.all) if (!byId.has(s.spanId)) byId.set(s.spanId, s);
    for (const s of this.all) {
      if (s.parentId === "") continue;
      const parent = byId.get(s.parentId);
      if (parent === undefined) {
        this.report(
          s,
          "unknown parent",
          `span ${describeSpan(s)} has parent ${clip(s.parentId, 40)}, which no input has`,
        );
      } else this.checkRange(s, parent);
    }
  }

  private track(key: string, rec: LogRecord): SpanEntry | null {
    if (this.all.length >= MAX_TRACKED_SPANS) {
      if (!this.full) {
        this.full = true;
        this.report(
          placeOf(rec),
          "span checks stopped",
          `more than ${MAX_TRACKED_SPANS} spans: span checks stop at this line`,
        );
      }
      return null;
    }
    const entry: SpanEntry = {
      sourceIndex: rec.source.index,
      line: rec.lineNo,
      spanId: rec.spanId,
      parentId: rec.parentId,
      name: rec.spanName,
      opened: false,
      closed: false,
      startUs: Number.NaN,
      endUs: Number.NaN,
    };
    this.current.set(key, entry);
    this.all.push(entry);
    return entry;
  }

  private close(entry: SpanEntry, rec: LogRecord): void {
    entry.closed = true;
    entry.endUs = rec.timeUs;
    if (!entry.opened) {
      entry.line = rec.lineNo;
      if (!Number.isNaN(rec.durationUs)) entry.startUs = rec.timeUs - rec.durationUs;
      this.report(
        placeOf(rec),
        "SPAN_CLOSED without an opening",
        `SPAN_CLOSED of span ${describeSpan(entry)} without SPAN_CREATED or SPAN_FIRST_ENTRY before it`,
      );
    }
    this.checkTimings(rec);
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

  private checkRange(child: SpanEntry, parent: SpanEntry): void {
    const early = child.startUs < parent.startUs;
    const late = child.endUs > parent.endUs;
    if (!early && !late) return;
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
