/**
 * A trace as a waterfall: a header, then one row per span in tree order (service, indented name,
 * start offset, duration, busy, idle) with a bar on a shared, labelled time axis fitted to the
 * width. `tree` is the same without bars. Markers work without colour: `*` critical path, `▒`
 * open span extent, and a notes column (open, orphan, skew, inferred, errors, warnings).
 *
 * Receives: a trace, a theme, a time formatter and options. Emits: lines of text.
 */

import type { Span, SpanFlag, Trace } from "../trace/span.js";
import { formatDuration, formatOffset, formatTick } from "./durations.js";
import { renderSpanLogs } from "./span-logs.js";
import { clip } from "./terminal-safe.js";
import type { Theme } from "./theme.js";
import type { UsFormatter } from "./time-zone.js";
import { displayWidth } from "./width.js";

export interface WaterfallOptions {
  width: number;
  bars: boolean;
  logs: boolean;
}

const NAME_MAX = 48;
const SERVICE_MAX = 16;
const NOTES_MAX = 28;
const GUIDE_DEPTH_MAX = 20;
/** Header values (request id, method, uri, root name) are cut here. */
const HEADER_VALUE_MAX = 120;
/** Services named in the header; the rest are counted. */
const HEADER_SERVICES_MAX = 12;

function pad(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : s + " ".repeat(width - w);
}

function padLeft(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : " ".repeat(width - w) + s;
}

/** Tree guides per span (`├─ `, `└─ `, `│  `), capped in depth so deep chains stay readable. */
function treeGuides(trace: Trace): Map<Span, string> {
  const guides = new Map<Span, string>();
  const childPrefix = new Map<Span, string>();
  for (const span of trace.spans) {
    const parent = span.parent;
    if (parent === null) {
      guides.set(span, "");
      childPrefix.set(span, "");
      continue;
    }
    const base = childPrefix.get(parent) ?? "";
    const last = parent.children[parent.children.length - 1] === span;
    if (span.depth > GUIDE_DEPTH_MAX) {
      guides.set(span, `…${span.depth} `);
      childPrefix.set(span, base);
      continue;
    }
    guides.set(span, base + (last ? "└─ " : "├─ "));
    childPrefix.set(span, base + (last ? "   " : "│  "));
  }
  return guides;
}

/** How the span's flags are named to a reader, in this order; `warn` ones are styled as warnings. */
export function flagNotes(span: Span): { text: string; warn: boolean }[] {
  const notes: { text: string; warn: boolean }[] = [];
  const add = (flag: SpanFlag, text: string, warn: boolean) => {
    if (span.flags.has(flag)) notes.push({ text, warn });
  };
  add("open", "open", true);
  const parent = span.parentId.length > 8 ? `${span.parentId.slice(0, 7)}…` : span.parentId;
  add("orphan", `orphan: parent ${parent}`, true);
  add("skew", "clock skew", true);
  add("inferred", "inferred: no span events", false);
  add("start-from-duration", "start = close - duration", false);
  add("duplicate-id", "duplicate id", true);
  add("cycle", "parent cycle cut", true);
  return notes;
}

function notesOf(span: Span, theme: Theme): string[] {
  const notes: string[] = [];
  if (span.errors > 0) notes.push(theme.error(`${span.errors} error${span.errors > 1 ? "s" : ""}`));
  if (span.warnings > 0) {
    notes.push(theme.warn(`${span.warnings} warning${span.warnings > 1 ? "s" : ""}`));
  }
  for (const note of flagNotes(span)) {
    const text = clip(note.text, 100);
    notes.push(note.warn ? theme.warn(text) : theme.dim(text));
  }
  return notes;
}

interface Row {
  span: Span;
  service: string;
  name: string;
  start: string;
  duration: string;
  busy: string;
  idle: string;
  notes: string;
}

function buildRows(trace: Trace, theme: Theme, serviceIndex: Map<string, number>): Row[] {
  const guides = treeGuides(trace);
  return trace.spans.map((span) => {
    const name = (guides.get(span) ?? "") + clip(span.name || "(unnamed)", NAME_MAX);
    return {
      span,
      service: theme.service(clip(span.service, SERVICE_MAX), serviceIndex.get(span.service) ?? 0),
      name: span.critical ? theme.critical(name) : name,
      start: formatOffset(span.startUs - trace.startUs),
      duration: span.closed
        ? formatDuration(span.durationUs ?? span.endUs - span.startUs)
        : `≥${formatDuration(span.endUs - span.startUs)}`,
      busy: formatDuration(span.busyUs),
      idle: formatDuration(span.idleUs),
      notes: notesOf(span, theme).join(", "),
    };
  });
}

/** Header lines: ids, request, start, duration, counts. */
export function traceHeader(trace: Trace, theme: Theme, formatUs: UsFormatter): string[] {
  const root = trace.roots[0];
  const method = root?.attributes.get("method");
  const uri = root?.attributes.get("uri");
  const request =
    method || uri
      ? `${clip(method ?? "", HEADER_VALUE_MAX)} ${clip(uri ?? "", HEADER_VALUE_MAX)}`.trim()
      : clip(root?.name ?? "", HEADER_VALUE_MAX);
  const requestId = trace.requestId
    ? `  ${theme.header("request")} ${clip(trace.requestId, HEADER_VALUE_MAX)}`
    : "";
  const first = `${theme.header("Trace")} ${clip(trace.traceId, HEADER_VALUE_MAX)}${requestId}`;
  const named = trace.services.slice(0, HEADER_SERVICES_MAX);
  let services = named.map((s, i) => theme.service(clip(s, SERVICE_MAX), i)).join(", ");
  const more = trace.services.length - named.length;
  if (more > 0) services += ` and ${more} more`;
  const second = [
    request,
    `start ${formatUs(trace.startUs)}`,
    `duration ${formatDuration(trace.endUs - trace.startUs)}`,
    `${trace.spans.length} span${trace.spans.length === 1 ? "" : "s"}`,
    services === "" ? "" : `services ${services}`,
    `depth ${trace.depth}`,
  ].filter((s) => s !== "");
  return [first, second.join(" · ")];
}

function chooseTick(totalUs: number, barWidth: number): number {
  const maxTicks = Math.max(1, Math.floor(barWidth / 9));
  if (!Number.isFinite(totalUs) || totalUs <= 0) return 1;
  for (let magnitude = 1; ; magnitude *= 10) {
    for (const m of [1, 2, 5]) {
      const step = m * magnitude;
      if (totalUs / step <= maxTicks) return step;
    }
  }
}

function axisLine(totalUs: number, barWidth: number): string {
  const cells = new Array<string>(barWidth).fill(" ");
  if (!Number.isFinite(totalUs)) return cells.join("");
  const step = chooseTick(totalUs, barWidth);
  for (let t = 0; t <= totalUs; t += step) {
    const label = formatTick(t);
    const col = Math.min(Math.round((t / totalUs) * barWidth), barWidth - label.length);
    if (col < 0 || cells.slice(Math.max(0, col - 1), col + label.length).some((c) => c !== " "))
      continue;
    for (let i = 0; i < label.length; i++) cells[col + i] = label[i] as string;
  }
  return cells.join("");
}

/** A bar in half-cell resolution: `▐` and `▌` start or end a bar mid-cell. */
function bar(span: Span, trace: Trace, barWidth: number, theme: Theme, index: number): string {
  const total = Math.max(1, trace.endUs - trace.startUs);
  const halves = barWidth * 2;
  let from = Math.floor(((span.startUs - trace.startUs) / total) * halves);
  let to = Math.ceil(((span.endUs - trace.startUs) / total) * halves);
  from = Math.min(Math.max(0, from), halves - 1);
  to = Math.min(Math.max(from + 1, to), halves);
  const fill = span.closed ? "█" : "▒";
  const cells: string[] = [];
  for (let c = Math.floor(from / 2); c < Math.ceil(to / 2); c++) {
    const left = c * 2 >= from && c * 2 < to;
    const right = c * 2 + 1 >= from && c * 2 + 1 < to;
    cells.push(left && right ? fill : left ? "▌" : "▐");
  }
  const lead = Math.floor(from / 2);
  return (
    " ".repeat(lead) +
    theme.service(cells.join(""), index) +
    " ".repeat(barWidth - lead - cells.length)
  );
}

function widest(values: readonly string[], least: number, measure: (s: string) => number): number {
  let max = least;
  for (const v of values) max = Math.max(max, measure(v));
  return max;
}

/** The whole view. */
export function renderWaterfall(
  trace: Trace,
  theme: Theme,
  formatUs: UsFormatter,
  options: WaterfallOptions,
): string[] {
  const serviceIndex = new Map(trace.services.map((s, i) => [s, i]));
  const rows = buildRows(trace, theme, serviceIndex);
  const length = (s: string) => s.length;
  const widthOf = (pick: (r: Row) => string, min: number, measure = displayWidth) =>
    widest(rows.map(pick), min, measure);
  const w = {
    service: widthOf((r) => r.service, 7),
    name: widthOf((r) => r.name, 4),
    start: widthOf((r) => r.start, 5, length),
    duration: widthOf((r) => r.duration, 8, length),
    busy: widthOf((r) => r.busy, 4, length),
    idle: widthOf((r) => r.idle, 4, length),
    notes: Math.min(
      NOTES_MAX,
      widthOf((r) => r.notes, 0),
    ),
  };

  const fixed = w.service + w.name + w.start + w.duration + w.busy + w.idle + 2 + 6 * 2 + 2;
  const barWidth = options.bars
    ? Math.max(10, options.width - fixed - (w.notes > 0 ? w.notes + 1 : 0))
    : 0;
  const total = Math.max(1, trace.endUs - trace.startUs);
  const lines = [...traceHeader(trace, theme, formatUs), ""];
  const cols = (
    service: string,
    mark: string,
    name: string,
    start: string,
    dur: string,
    busy: string,
    idle: string,
  ) =>
    `${pad(service, w.service)}  ${mark} ${pad(name, w.name)}  ${padLeft(start, w.start)}  ${padLeft(dur, w.duration)}  ${padLeft(busy, w.busy)}  ${padLeft(idle, w.idle)}`;
  const head = cols("SERVICE", " ", "SPAN", "START", "DURATION", "BUSY", "IDLE");
  lines.push(
    theme.header(head) + (options.bars ? ` │${theme.dim(axisLine(total, barWidth))}│` : ""),
  );
  const logIndent = " ".repeat(w.service + 4);
  for (const row of rows) {
    const mark = row.span.critical ? "*" : " ";
    let line = cols(row.service, mark, row.name, row.start, row.duration, row.busy, row.idle);
    if (options.bars) {
      const index = serviceIndex.get(row.span.service) ?? 0;
      line += ` │${bar(row.span, trace, barWidth, theme, index)}│`;
    }
    if (row.notes !== "") line += ` ${row.notes}`;
    lines.push(line);
    if (options.logs) lines.push(...renderSpanLogs(row.span, trace, theme, logIndent));
  }
  lines.push(
    "",
    theme.dim(
      "* critical path (the spans that determined the end-to-end time)" +
        (options.bars ? "  ▒ open span, drawn to its last record" : ""),
    ),
  );
  return lines;
}
