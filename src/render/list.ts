/**
 * Lists, as `ps` and `kubectl get` print them: a heading line, then one line per row, columns
 * aligned and at least two spaces apart, no box characters, no empty cells (`-`), no run of two
 * spaces inside a cell, so `grep`, `sort -k` and `awk` (or `awk -F '  +'`) read them. Fitted to
 * a width: columns are cut (in the middle, or at the end) or left out by priority; `wide` shows
 * every column whole. Lines are handed out one at a time: a list of 200 000 rows is never one
 * string. Cost is linear in the number of cells.
 *
 * Receives: rows (any objects: columns pick what they show) and columns. Emits: lines.
 */
import { type ColumnNeed, cutEnd, cutMiddle, fitColumns } from "./fit.js";
import { terminalSafe } from "./terminal-safe.js";
import type { Theme } from "./theme.js";
import { displayWidth } from "./width.js";

export interface ListColumn<R> {
  head: string;
  value(row: R): string;
  align?: "left" | "right";
  /** Lower is more important; 0: always shown. */
  priority: number;
  /** How a cell too wide is cut; absent: never cut (the column is left out instead). */
  cut?: "middle" | "end";
  /** The narrowest a cut column may be (default 8). */
  least?: number;
  /** How wide a column of priority 0 grows before less important columns are placed. */
  want?: number;
  /** A shorter form of every cell, used when the whole list does not fit. */
  short?: (row: R) => string;
  /** Colour for a cell (given its fitted, padded text). */
  style?: (text: string, row: R, theme: Theme) => string;
}

export interface ListOptions {
  width: number;
  /** Every column, nothing cut, whatever the width. */
  wide: boolean;
  theme: Theme;
}

const GAP = "  ";

/** A cell as one line of printable text with no double spaces; `-` when empty. */
export function listCell(text: string): string {
  const one = terminalSafe(text).replace(/\s+/g, " ").trim();
  return one === "" ? "-" : one;
}

/** The heading and every row, one line at a time (without newline). */
export function* listLines<R>(
  rows: readonly R[],
  columns: readonly ListColumn<R>[],
  options: ListOptions,
): Generator<string> {
  let cells = columns.map((c) => rows.map((r) => listCell(c.value(r))));
  const naturalOf = (values: string[], head: string) => {
    let max = displayWidth(head);
    for (const v of values) max = Math.max(max, displayWidth(v));
    return max;
  };
  let natural = cells.map((values, i) => naturalOf(values, columns[i]!.head));
  const total = natural.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1);
  if (!options.wide && total > options.width) {
    cells = cells.map((values, i) => {
      const short = columns[i]!.short;
      return short === undefined ? values : rows.map((r) => listCell(short(r)));
    });
    natural = cells.map((values, i) => naturalOf(values, columns[i]!.head));
  }
  const needs: ColumnNeed[] = columns.map((c, i) => ({
    natural: natural[i]!,
    least:
      c.cut === undefined
        ? natural[i]!
        : Math.max(displayWidth(c.head), Math.min(natural[i]!, c.least ?? 8)),
    priority: c.priority,
    ...(c.want === undefined ? {} : { want: c.want }),
  }));
  const widths = options.wide ? natural : fitColumns(needs, options.width, GAP.length);
  const shown = columns.map((_, i) => i).filter((i) => widths[i]! > 0);
  const last = shown[shown.length - 1];
  const line = (texts: (i: number) => string, style: (text: string, i: number) => string) => {
    let out = "";
    for (const i of shown) {
      const width = widths[i]!;
      let text = texts(i);
      if (displayWidth(text) > width) {
        text = columns[i]!.cut === "end" ? cutEnd(text, width) : cutMiddle(text, width);
      }
      const gap = " ".repeat(Math.max(0, width - displayWidth(text)));
      const right = columns[i]!.align === "right";
      // No padding after the last column: lines do not end in spaces.
      const padded = right ? gap + style(text, i) : style(text, i) + (i === last ? "" : gap);
      out += (out === "" ? "" : GAP) + padded;
    }
    return out;
  };
  const { theme } = options;
  yield line((i) => columns[i]!.head, theme.header);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as R;
    yield line(
      (i) => cells[i]![r]!,
      (text, i) => {
        const style = columns[i]!.style;
        return style === undefined || text === "-" ? text : style(text, row, theme);
      },
    );
  }
}
