/**
 * Boxed tables for small summaries (`stats`, `trace --details`, the `validate` summary), in the
 * frame cli-table3 draws in its compact style (a test holds the two to the same bytes). It is drawn
 * here because `trace --details` draws one table a span: cli-table3 spent 40 of 48 s on the
 * tables of a 100 000-span trace. Lists (`traces`) never come here: see list.ts. Cells are made terminal-safe and one line each, then fitted to the width
 * before cli-table3 sees them (columns cut or left out by priority, as lists are); `wide` keeps
 * every cell whole.
 *
 * Receives: columns and rows of plain text, a theme, a width. Emits: the table (no trailing
 * newline).
 */
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
  const head = shown.map((i) => fitted(columns[i]!.head, i));
  const body = cells.map((row) => shown.map((i) => fitted(row[i] as string, i)));
  // Each column as wide as its widest fitted cell (what is drawn, not what was allowed).
  const drawn = head.map((_, k) => {
    let max = displayWidth(head[k] as string);
    for (const row of body) max = Math.max(max, displayWidth(row[k] as string));
    return max;
  });
  const line = (texts: readonly string[], styled: (text: string, k: number) => string) => {
    let out = "│";
    texts.forEach((text, k) => {
      const pad = " ".repeat(drawn[k]! - displayWidth(text));
      const right = columns[shown[k]!]!.align === "right";
      out += ` ${right ? pad : ""}${styled(text, k)}${right ? "" : pad} │`;
    });
    return out;
  };
  const rule = (left: string, join: string, right: string) =>
    `${left}${drawn.map((w) => "─".repeat(w + 2)).join(join)}${right}`;
  const out = [rule("┌", "┬", "┐"), line(head, (text) => theme.header(text))];
  if (body.length > 0) out.push(rule("├", "┼", "┤"));
  body.forEach((row, r) => {
    out.push(
      line(row, (text, k) => {
        const style = columns[shown[k]!]!.style;
        return style === undefined ? text : style(text, r, theme);
      }),
    );
  });
  out.push(rule("└", "┴", "┘"));
  return out.join("\n");
}
