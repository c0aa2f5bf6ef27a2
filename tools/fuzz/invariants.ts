// What must hold for any input, checked by the fuzzer on the records of one mutated stream:
// record kinds, unparsed lines kept byte for byte, every line accounted for, the filter deciding
// with a boolean, span assembly giving a tree with one span per (source, span id) instance, and
// no rendering (readable layout, JSONL, waterfall, tree, JSON, validate report) letting a control
// character from the data through. A violation throws an InvariantError naming it.
import type { LogRecord } from "../../src/model/record.js";
import { renderDynamoLine, timeAsWritten } from "../../src/render/dynamo-layout.js";
import { stringifyJson } from "../../src/render/json-text.js";
import { jsonTerminalSafe, renderDynamoJsonl } from "../../src/render/jsonl-layout.js";
import { ANSI_STYLE, PLAIN_STYLE } from "../../src/render/layout-style.js";
import { terminalSafeBytes, terminalSafeLine } from "../../src/render/terminal-safe.js";
import { colorTheme, PLAIN_THEME } from "../../src/render/theme.js";
import { formatUtc } from "../../src/render/time-zone.js";
import { traceJson } from "../../src/render/trace-json.js";
import { renderWaterfall } from "../../src/render/waterfall.js";
import type { Span, Trace } from "../../src/trace/span.js";

export class InvariantError extends Error {
  constructor(
    readonly invariant: string,
    detail: string,
  ) {
    super(`${invariant}: ${detail}`);
  }
}

export function check(ok: boolean, invariant: string, detail: () => string): void {
  if (!ok) throw new InvariantError(invariant, detail());
}

const SGR = /\x1b\[[0-9;]*m/g;
/** Nothing from the data may drive a terminal: no C0 (but newline, tab, CRLF), DEL or C1. */
const UNSAFE_TEXT = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)/;
/** Views and JSON documents: not even a tab (views escape them). */
const UNSAFE_VIEW = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

function assertSafe(text: string, pattern: RegExp, where: string): void {
  const bare = text.replace(SGR, "");
  const at = bare.search(pattern);
  check(
    at < 0,
    "raw control character",
    () => `${where}: ${JSON.stringify(bare.slice(at - 20, at + 10))}`,
  );
}

/** The bytes a record's raw line stands for. */
function rawBytes(rec: LogRecord): Buffer {
  return typeof rec.raw === "string" ? Buffer.from(rec.raw, "utf8") : rec.raw;
}

/** Lines as the reader must see them: split at LF, a CR before the LF belongs to the end. */
export function expectedLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let nl = bytes.indexOf(10); nl >= 0; nl = bytes.indexOf(10, start)) {
    const end = nl > start && bytes[nl - 1] === 13 ? nl - 1 : nl;
    lines.push(bytes.subarray(start, end));
    start = nl + 1;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

export function checkRecords(records: readonly LogRecord[], lines: readonly Buffer[]): void {
  let counted = 0;
  for (const rec of records) {
    counted += rec.lineCount;
    check(["json", "text", "unparsed"].includes(rec.kind), "record kind", () => rec.kind);
    if (rec.kind !== "unparsed") continue;
    const want = lines[rec.lineNo - 1];
    check(
      want !== undefined && rawBytes(rec).equals(want),
      "unparsed raw equals the input line",
      () => `line ${rec.lineNo}: ${JSON.stringify(rawBytes(rec).toString("latin1"))}`,
    );
  }
  check(
    counted === lines.length,
    "every line accounted for",
    () => `${counted} of ${lines.length}`,
  );
}

export function checkLayouts(rec: LogRecord): void {
  if (rec.kind === "unparsed") {
    const safe =
      typeof rec.raw === "string" ? terminalSafeLine(rec.raw) : terminalSafeBytes(rec.raw);
    assertSafe(safe, /[\x00-\x08\x0a-\x1f\x7f-\x9f]/, "unparsed line");
    return;
  }
  renderDynamoLine(rec, PLAIN_STYLE, timeAsWritten);
  assertSafe(
    renderDynamoLine(rec, ANSI_STYLE, timeAsWritten, true),
    UNSAFE_TEXT,
    "readable layout",
  );
  const jsonl = renderDynamoJsonl(rec);
  try {
    JSON.parse(jsonl);
  } catch (err) {
    throw new InvariantError(
      "JSONL output is JSON",
      `${(err as Error).message}: ${jsonl.slice(0, 200)}`,
    );
  }
  assertSafe(jsonTerminalSafe(jsonl), UNSAFE_VIEW, "JSONL");
}

/** Spans per (source, span id) instance, counted as assembly must: a close ends an instance,
 *  a second opening starts a new one. */
export function expectedSpanCount(records: readonly LogRecord[]): number {
  const sorted = records
    .filter((r) => r.spanId !== "")
    .sort(
      (a, b) => a.orderUs - b.orderUs || a.source.index - b.source.index || a.lineNo - b.lineNo,
    );
  const state = new Map<string, { open: boolean; closed: boolean }>();
  let count = 0;
  for (const rec of sorted) {
    const key = `${rec.label}\u0000${rec.spanId}`;
    const opening = rec.marker === "created" || rec.marker === "first_entry";
    let s = state.get(key);
    if (s === undefined || s.closed || (opening && s.open)) {
      s = { open: false, closed: false };
      state.set(key, s);
      count++;
    }
    if (opening) s.open = true;
    if (rec.marker === "closed") s.closed = true;
  }
  return count;
}

export function checkTree(trace: Trace, expected: number): void {
  check(
    trace.spans.length === expected,
    "one span per instance",
    () => `${trace.spans.length} spans, ${expected} instances`,
  );
  const seen = new Set<Span>();
  const stack: Span[] = [...trace.roots];
  while (stack.length > 0) {
    const span = stack.pop() as Span;
    check(!seen.has(span), "tree", () => `span ${span.spanId} reached twice`);
    seen.add(span);
    for (const child of span.children) {
      check(child.parent === span, "tree", () => `child ${child.spanId} has another parent`);
      stack.push(child);
    }
  }
  check(
    seen.size === trace.spans.length,
    "tree",
    () => `${seen.size} of ${trace.spans.length} spans reachable`,
  );
}

export function checkTraceViews(trace: Trace, width: number): void {
  for (const theme of [PLAIN_THEME, colorTheme()]) {
    for (const bars of [true, false]) {
      const lines = renderWaterfall(trace, theme, formatUtc, { width, bars, logs: true });
      for (const line of lines) assertSafe(line, UNSAFE_VIEW, "waterfall");
    }
  }
  const json = stringifyJson(traceJson(trace));
  JSON.parse(json);
  assertSafe(json, UNSAFE_VIEW, "trace JSON");
}
