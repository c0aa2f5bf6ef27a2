/**
 * A trace as a waterfall: a header, then one row per span in tree order (service, indented name,
 * start offset, duration, busy, idle) with a bar on a shared, labelled time axis fitted to the
 * width. `tree` is the same without bars. Markers work without colour: `*` critical path, `▒`
 * open span extent, and a notes column (open, orphan, skew, inferred, errors, warnings).
 *
 * Receives: a trace, a theme, a time formatter and options. Emits: lines of text.
 */

import { stripAnsi } from "../parse/ansi.js";
import type { Span, SpanFlag, Trace } from "../trace/span.js";
import { formatDuration, formatOffset, formatTick } from "./durations.js";
import { type ColumnNeed, clipMiddle, cutEnd, cutMiddle, fitColumns } from "./fit.js";
import { renderSpanLogs } from "./span-logs.js";
import { clip } from "./terminal-safe.js";
import type { Theme } from "./theme.js";
import type { UsFormatter } from "./time-zone.js";
import { displayWidth } from "./width.js";

export interface WaterfallOptions {
  width: number;
  bars: boolean;
  logs: boolean;
  /** Every column whole, whatever the width (`--wide`). */
  wide?: boolean;
}

const NAME_MAX = 48;
const SERVICE_MAX = 16;
const NOTES_MAX = 28;
const GUIDE_DEPTH_MAX = 20;
/** Columns a span's name keeps beside its guides (fewer when the name is shorter). */
const GUIDE_NAME_LEAST = 8;
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

/** A note beside a span: its text (one column a character) and its colour. */
interface Note {
  text: string;
  style: (s: string) => string;
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

function notesOf(span: Span, theme: Theme): Note[] {
  const notes: Note[] = [];
  const add = (text: string, style: (s: string) => string) => notes.push({ text, style });
  if (span.errors > 0) add(`${span.errors} error${span.errors > 1 ? "s" : ""}`, theme.error);
  if (span.warnings > 0) add(`${span.warnings} warning${span.warnings > 1 ? "s" : ""}`, theme.warn);
  for (const note of flagNotes(span)) add(clip(note.text, 100), note.warn ? theme.warn : theme.dim);
  return notes;
}

interface Row {
  span: Span;
  service: string;
  guide: string;
  name: string;
  start: string;
  duration: string;
  busy: string;
  idle: string;
  notes: Note[];
}

/** Names and services are cut at this many columns even with `--wide`. */
const WIDE_MAX = 1024;

function buildRows(trace: Trace, theme: Theme, wide: boolean): Row[] {
  const guides = treeGuides(trace);
  return trace.spans.map((span) => ({
    span,
    service: clipMiddle(span.service, wide ? WIDE_MAX : SERVICE_MAX),
    guide: guides.get(span) ?? "",
    name: clipMiddle(span.name || "(unnamed)", wide ? WIDE_MAX : NAME_MAX),
    start: formatOffset(span.startUs - trace.startUs),
    duration: span.closed
      ? formatDuration(span.durationUs ?? span.endUs - span.startUs)
      : `≥${formatDuration(span.endUs - span.startUs)}`,
    busy: formatDuration(span.busyUs),
    idle: formatDuration(span.idleUs),
    notes: notesOf(span, theme),
  }));
}

/**
 * When spans reach outside the request's root (other hosts' clocks disagree), by how much, in
 * human units: the header's duration stays the request's.
 */
function skewNote(trace: Trace): string {
  const root = trace.root;
  if (root === null) return "";
  const before = Math.max(0, root.startUs - trace.startUs);
  const after = Math.max(0, trace.endUs - root.endUs);
  const parts: string[] = [];
  if (before > 0) parts.push(`${formatDuration(before)} before`);
  if (after > 0 && root.closed) parts.push(`${formatDuration(after)} after`);
  if (parts.length === 0) return "";
  return ` (clock skew: spans reach ${parts.join(" and ")} it)`;
}

/**
 * Lines of at most `width` columns made of `parts` joined by `joint`: a part that does not fit on
 * the current line starts the next; a part wider than a line is cut in the middle (its colour
 * lost). `wide` keeps one line.
 */
function wrapParts(parts: string[], joint: string, width: number, wide: boolean): string[] {
  if (wide) return [parts.join(joint)];
  const lines: string[] = [];
  let line = "";
  for (const part of parts) {
    const fitted = displayWidth(part) <= width ? part : cutMiddle(stripAnsi(part), width);
    if (line !== "" && displayWidth(line) + joint.length + displayWidth(fitted) <= width) {
      line += joint + fitted;
    } else {
      if (line !== "") lines.push(line);
      line = fitted;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** Header lines: ids, request, start, duration, counts, fitted to `width` unless `wide`. */
export function traceHeader(
  trace: Trace,
  theme: Theme,
  formatUs: UsFormatter,
  width = Number.POSITIVE_INFINITY,
  wide = true,
): string[] {
  const root = trace.root ?? trace.roots[0];
  const method = root?.attributes.get("method");
  const uri = root?.attributes.get("uri");
  const request =
    method || uri
      ? `${clip(method ?? "", HEADER_VALUE_MAX)} ${clip(uri ?? "", HEADER_VALUE_MAX)}`.trim()
      : clip(root?.name ?? "", HEADER_VALUE_MAX);
  const ids = [`${theme.header("Trace")} ${clip(trace.traceId, HEADER_VALUE_MAX)}`];
  if (trace.requestId) {
    ids.push(`${theme.header("request")} ${clip(trace.requestId, HEADER_VALUE_MAX)}`);
  }
  const named = trace.services.slice(0, HEADER_SERVICES_MAX);
  let services = named.map((s, i) => theme.service(clip(s, SERVICE_MAX), i)).join(", ");
  const more = trace.services.length - named.length;
  if (more > 0) services += ` and ${more} more`;
  const facts = [
    request,
    `start ${formatUs(trace.startUs)}`,
    `duration ${trace.durationLowerBound ? "≥" : ""}${formatDuration(trace.durationUs)}${skewNote(trace)}`,
    `${trace.spans.length} span${trace.spans.length === 1 ? "" : "s"}`,
    services === "" ? "" : `services ${services}`,
    `depth ${trace.depth}`,
  ].filter((s) => s !== "");
  return [...wrapParts(ids, "  ", width, wide), ...wrapParts(facts, " · ", width, wide)];
}

/** Columns per labelled tick, at most. */
const TICK_SPACING = 8;

/** Ticks are 1, 2 or 5 times a power of ten microseconds. */
function* tickSteps(): Generator<number> {
  for (let magnitude = 1; ; magnitude *= 10) {
    for (const m of [1, 2, 5]) yield m * magnitude;
  }
}

/** Labels placed at `step` intervals, or null when two would touch. */
function placeTicks(totalUs: number, barWidth: number, step: number): string[] | null {
  const cells = new Array<string>(barWidth).fill(" ");
  let end = Number.NEGATIVE_INFINITY;
  for (let t = 0; t <= totalUs; t += step) {
    const label = formatTick(t);
    const col = Math.min(Math.round((t / totalUs) * barWidth), barWidth - label.length);
    if (col < 0 || col <= end + 2) return null;
    for (let i = 0; i < label.length; i++) cells[col + i] = label[i] as string;
    end = col + label.length - 1;
  }
  return cells;
}

/**
 * The time axis over a bar `barWidth` columns wide: the finest round step whose labels do not
 * touch, never coarser than the whole span, so at least two ticks (`0` and one more) are
 * labelled whenever two labels fit at all.
 */
export function axisLine(totalUs: number, barWidth: number): string {
  const blank = " ".repeat(barWidth);
  if (!Number.isFinite(totalUs) || totalUs <= 0) return blank;
  for (const step of tickSteps()) {
    if (step > totalUs) break;
    // A step this fine would place more labels than the bar has room for.
    if (totalUs / step > barWidth / TICK_SPACING) continue;
    const cells = placeTicks(totalUs, barWidth, step);
    if (cells !== null) return cells.join("");
  }
  const last = formatTick(totalUs);
  if (barWidth >= last.length + 2) {
    return `0${" ".repeat(barWidth - 1 - last.length)}${last}`;
  }
  return `0${blank.slice(1)}`;
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

/** The notes that fit in `width` columns, `, ` apart; `…` when some were left out. */
function fitNotes(notes: readonly Note[], width: number): string {
  let out = "";
  let used = 0;
  for (let i = 0; i < notes.length; i++) {
    const note = notes[i] as Note;
    const sep = i === 0 ? 0 : 2;
    const rest = i === notes.length - 1 ? 0 : 3;
    if (used + sep + note.text.length + rest > width) {
      const room = width - used - sep;
      if (i === 0 && room >= 2) return note.style(cutEnd(note.text, room));
      return out === "" ? "" : `${out},…`;
    }
    out += (i === 0 ? "" : ", ") + note.style(note.text);
    used += sep + note.text.length;
  }
  return out;
}

/** The narrowest a bar is drawn, so two tick labels fit over it. */
const BAR_LEAST = 14;

/** The whole view, fitted to `options.width` unless `options.wide`. */
export function renderWaterfall(
  trace: Trace,
  theme: Theme,
  formatUs: UsFormatter,
  options: WaterfallOptions,
): string[] {
  const serviceIndex = new Map(trace.services.map((s, i) => [s, i]));
  const wide = options.wide === true;
  const rows = buildRows(trace, theme, wide);
  const widest = (pick: (r: Row) => string, head: string) => {
    let max = displayWidth(head);
    for (const r of rows) max = Math.max(max, displayWidth(pick(r)));
    return max;
  };
  const notesWidth = (r: Row) =>
    r.notes.reduce((n, note, i) => n + note.text.length + (i ? 2 : 0), 0);
  let notesNatural = 0;
  for (const r of rows) notesNatural = Math.max(notesNatural, notesWidth(r));
  // Columns: service, "* " + guides + name, start, duration, busy, idle, then the notes.
  const nameNatural = widest((r) => `* ${r.guide}${r.name}`, "  SPAN");
  const needs: ColumnNeed[] = [
    { natural: widest((r) => r.service, "SERVICE"), least: 8, priority: 0, want: 12 },
    { natural: nameNatural, least: Math.min(nameNatural, 16), priority: 0, want: 40 },
    { natural: widest((r) => r.start, "START"), least: 99, priority: 3 },
    { natural: widest((r) => r.duration, "DURATION"), least: 99, priority: 0 },
    { natural: widest((r) => r.busy, "BUSY"), least: 99, priority: 4 },
    { natural: widest((r) => r.idle, "IDLE"), least: 99, priority: 5 },
    { natural: wide ? notesNatural : Math.min(NOTES_MAX, notesNatural), least: 8, priority: 2 },
  ];
  const barRoom = options.bars ? BAR_LEAST + 3 : 0;
  const w = wide
    ? needs.map((n) => n.natural)
    : fitColumns(needs, Math.max(0, options.width - barRoom), 2);
  const [service, name, start, duration, busy, idle, notes] = w as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const fixed = [service, name, start, duration, busy, idle].filter((x) => x > 0);
  const fixedWidth = fixed.reduce((a, b) => a + b, 0) + 2 * (fixed.length - 1);
  const notesRoom = notes > 0 ? notes + 1 : 0;
  const barWidth = options.bars
    ? Math.max(BAR_LEAST, options.width - fixedWidth - 3 - notesRoom)
    : 0;

  const fit = (text: string, width: number) =>
    displayWidth(text) <= width ? text : cutMiddle(text, width);
  const cols = (values: string[], styles: ((s: string) => string)[]) => {
    const widths = [service, name, start, duration, busy, idle];
    let out = "";
    for (let i = 0; i < widths.length; i++) {
      const width = widths[i] as number;
      if (width === 0) continue;
      const text = fit(values[i] as string, width);
      const style = styles[i] ?? ((s: string) => s);
      out +=
        (out === "" ? "" : "  ") + (i >= 2 ? padLeft(style(text), width) : pad(style(text), width));
    }
    return out;
  };
  const nameCell = (row: Row) => {
    const mark = row.span.critical ? "*" : " ";
    // Guides that would leave the name fewer than GUIDE_NAME_LEAST columns give way to the
    // depth, so a deep span stays within its column.
    const least = Math.min(GUIDE_NAME_LEAST, displayWidth(row.name));
    const guide = displayWidth(row.guide) <= name - 2 - least ? row.guide : `…${row.span.depth} `;
    const room = Math.max(1, name - 2 - displayWidth(guide));
    const text = fit(row.name, room);
    const styled = row.span.critical ? theme.critical(text) : text;
    return { plain: `${mark} ${guide}${text}`, styled: `${mark} ${guide}${styled}` };
  };
  const lines = [...traceHeader(trace, theme, formatUs, options.width, wide), ""];
  const head = cols(["SERVICE", "  SPAN", "START", "DURATION", "BUSY", "IDLE"], []);
  const total = Math.max(1, trace.endUs - trace.startUs);
  lines.push(
    theme.header(head) + (options.bars ? ` │${theme.dim(axisLine(total, barWidth))}│` : ""),
  );
  const logIndent = " ".repeat(Math.min(service, 16) + 4);
  for (const row of rows) {
    const index = serviceIndex.get(row.span.service) ?? 0;
    const cell = nameCell(row);
    let line = cols(
      [row.service, cell.plain, row.start, row.duration, row.busy, row.idle],
      [(s) => theme.service(s, index), () => pad(cell.styled, name)],
    );
    if (options.bars) line += ` │${bar(row.span, trace, barWidth, theme, index)}│`;
    const noted = notes > 0 ? fitNotes(row.notes, notes) : "";
    if (noted !== "") line += ` ${noted}`;
    lines.push(line);
    if (options.logs) lines.push(...renderSpanLogs(row.span, trace, theme, logIndent));
  }
  const legend = ["* critical path (the spans that set the end-to-end time)"];
  if (options.bars) legend.push("▒ open span, drawn to its last record");
  lines.push("", ...wrapParts(legend, "  ", options.width, wide).map((l) => theme.dim(l)));
  return lines;
}
