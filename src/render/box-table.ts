/**
 * Boxed tables for small summaries (`stats`, `trace --details`, the `validate` summary), drawn by
 * cli-table3. Its layout cost grows with the square of the rows, so lists (`traces`) never come
 * here: see list.ts. Cells are made terminal-safe and one line each, then fitted to the width
 * before cli-table3 sees them (columns cut or left out by priority, as lists are); `wide` keeps
 * every cell whole.
 *
 * Receives: columns and rows of plain text, a theme, a width. Emits: the table (no trailing
 * newline).
 */
import Table from "cli-table3";
import { type ColumnNeed, cutEnd, cutMiddle, fitColumns } from "./fit.js";
import { terminalSafe } from "./terminal-safe.js";
import type { Theme } from "./theme.js";
import { displayWidth } from "./width.js";

export interface BoxColumn {
  head: string;
  align?: "left" | "right";
  /** Lower is more important; 0 (the default): always shown. */
  priority?: number;
  /** How a cell too wide is cut (default: at its end). */
  cut?: "middle" | "end";
  /** The narrowest the column may be cut to (default: its heading, at least 6). */
  least?: number;
  /** How wide a column of priority 0 grows before less important columns are placed. */
  want?: number;
  /** Colour for a cell (given its fitted text and row). */
  style?: (text: string, row: number, theme: Theme) => string;
}

export interface BoxOptions {
  width: number;
  wide: boolean;
}

/** A box's frame: `│ ` before each cell, ` ` after it, `│` at the end. */
const PER_COLUMN = 3;

export function renderBoxTable(
  columns: readonly BoxColumn[],
  rows: readonly (readonly string[])[],
  theme: Theme,
  options: BoxOptions,
): string {
  const cells = rows.map((row) =>
    columns.map((_, i) => terminalSafe(row[i] ?? "").replace(/[\r\n]+/g, " ")),
  );
  const natural = columns.map((c, i) => {
    let max = displayWidth(c.head);
    for (const row of cells) max = Math.max(max, displayWidth(row[i] as string));
    return max;
  });
  const needs: ColumnNeed[] = columns.map((c, i) => ({
    natural: natural[i]!,
    least: Math.max(displayWidth(c.head), c.least ?? 6),
    priority: c.priority ?? 0,
    ...(c.want === undefined ? {} : { want: c.want }),
  }));
  const widths = options.wide
    ? natural
    : fitColumns(needs, options.width - PER_COLUMN - 1, PER_COLUMN);
  const shown = columns.map((_, i) => i).filter((i) => widths[i]! > 0);
  const fitted = (text: string, i: number) =>
    displayWidth(text) <= widths[i]!
      ? text
      : columns[i]!.cut === "middle"
        ? cutMiddle(text, widths[i]!)
        : cutEnd(text, widths[i]!);
  const table = new Table({
    head: shown.map((i) => theme.header(fitted(columns[i]!.head, i))),
    colAligns: shown.map((i) => columns[i]!.align ?? "left"),
    style: { head: [], border: [], compact: true },
  });
  cells.forEach((row, r) => {
    table.push(
      shown.map((i) => {
        const text = fitted(row[i] as string, i);
        const style = columns[i]!.style;
        return style === undefined ? text : style(text, r, theme);
      }),
    );
  });
  return table.toString();
}
