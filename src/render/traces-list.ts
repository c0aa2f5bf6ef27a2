/**
 * `dynlog traces` as a list: one line per trace, a heading first. Columns, in this order (the
 * root last, as the only cell that may hold single spaces):
 *
 *     START  TRACE  REQUEST  DURATION  SPANS  WARN  ERR  OPEN  SERVICES  ROOT
 *
 * Fitted to the width: the trace id is the shortest prefix (8 or more) unique among the rows
 * shown; START drops a date every row shares; ROOT, REQUEST and SERVICES are cut; START, TRACE,
 * DURATION and ROOT always show, then ERR if it fits, then ROOT widens (up to 40 columns), then
 * the others are placed if they fit, most important first (WARN, SPANS, SERVICES, REQUEST, OPEN).
 * `wide` shows everything whole. With colour: error counts red, warning counts and open traces
 * yellow, durations at or above the 90th percentile of the rows shown yellow.
 *
 * Receives: rows (objects with at least the fields of `TraceListRow`; others are ignored).
 * Emits: lines, one at a time.
 */
import type { TraceRow } from "../trace/summaries.js";
import { formatDuration } from "./durations.js";
import { uniquePrefixLength } from "./fit.js";
import { type ListColumn, type ListOptions, listLines } from "./list.js";
import type { UsFormatter } from "./time-zone.js";

/** What the list shows of a trace: the summary row `traces` builds (trace/summaries.ts). */
export type TraceListRow = Pick<
  TraceRow,
  | "traceId"
  | "requestId"
  | "startUs"
  | "durationUs"
  | "spanCount"
  | "spansCapped"
  | "services"
  | "root"
  | "method"
  | "uri"
  | "warnings"
  | "errors"
  | "open"
  | "durationLowerBound"
  | "inferredSpans"
>;

export interface TraceListOptions extends ListOptions {
  formatUs: UsFormatter;
}

const TRACE_ID_LEAST = 8;

/** The date part (through `T`) that every time shares, or "" when they differ. */
function sharedDate(times: readonly string[]): string {
  const first = times[0];
  const t = first === undefined ? -1 : first.indexOf("T");
  if (t < 0) return "";
  const date = (first as string).slice(0, t + 1);
  return times.every((s) => s.startsWith(date)) ? date : "";
}

function slowFrom(rows: readonly TraceListRow[]): number {
  if (rows.length < 2) return Number.POSITIVE_INFINITY;
  const sorted = rows.map((r) => r.durationUs).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))] as number;
}

export function tracesListLines(
  rows: readonly TraceListRow[],
  options: TraceListOptions,
): Generator<string> {
  const idLength = options.wide
    ? Number.POSITIVE_INFINITY
    : uniquePrefixLength(
        rows.map((r) => r.traceId),
        TRACE_ID_LEAST,
      );
  const starts = new Map<TraceListRow, string>();
  for (const r of rows) starts.set(r, options.formatUs(r.startUs));
  const date = sharedDate([...starts.values()]);
  const slow = slowFrom(rows);
  const count = (n: number) => String(n);
  const columns: ListColumn<TraceListRow>[] = [
    {
      head: "START",
      priority: 0,
      value: (r) => starts.get(r) ?? "",
      short: (r) => (starts.get(r) ?? "").slice(date.length),
    },
    { head: "TRACE", priority: 0, value: (r) => r.traceId.slice(0, idLength) },
    { head: "REQUEST", priority: 8, cut: "middle", least: 13, value: (r) => r.requestId },
    {
      head: "DURATION",
      align: "right",
      priority: 0,
      value: (r) => `${r.durationLowerBound ? "≥" : ""}${formatDuration(r.durationUs)}`,
      style: (s, r, theme) => (r.durationUs >= slow ? theme.warn(s) : s),
    },
    {
      head: "SPANS",
      align: "right",
      priority: 5,
      value: (r) => (r.spansCapped ? `${r.spanCount}+` : String(r.spanCount)),
    },
    {
      head: "WARN",
      align: "right",
      priority: 4,
      value: (r) => count(r.warnings),
      style: (s, r, theme) => (r.warnings > 0 ? theme.warn(s) : s),
    },
    {
      head: "ERR",
      align: "right",
      priority: 1,
      value: (r) => count(r.errors),
      style: (s, r, theme) => (r.errors > 0 ? theme.error(s) : s),
    },
    {
      head: "FLAGS",
      priority: 9,
      value: (r) =>
        [r.open ? "open" : "", r.inferredSpans > 0 ? "inferred" : ""]
          .filter((s) => s !== "")
          .join(",") || "-",
      style: (s, _r, theme) => theme.warn(s),
    },
    {
      head: "SERVICES",
      priority: 6,
      cut: "end",
      least: 10,
      value: (r) => r.services.join(","),
    },
    {
      head: "ROOT",
      priority: 0,
      cut: "middle",
      least: 16,
      want: 40,
      value: (r) => [r.root, r.method, r.uri].filter((s) => s !== "").join(" "),
    },
  ];
  return listLines(rows, columns, options);
}
