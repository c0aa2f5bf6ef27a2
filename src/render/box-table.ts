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

/** Spaces to pad with, cut to length (most pads are short). */
const SPACES = " ".repeat(256);
const spaces = (n: number) => (n <= SPACES.length ? SPACES.slice(0, n) : " ".repeat(n));
/** `─` runs by length, made once up to a terminal's width (a `--wide` cell may be far wider). */
const RULES: string[] = [];
const RULES_KEPT = 512;
const ruleOf = (n: number) => {
  if (n > RULES_KEPT) return "─".repeat(n);
  RULES[n] ??= "─".repeat(n);
  return RULES[n] as string;
};

export function renderBoxTable(
  columns: readonly BoxColumn[],
  rows: readonly (readonly string[])[],
  theme: Theme,
  options: BoxOptions,
): string {
  const count = columns.length;
  // Each cell made safe and one line, and measured, once.
  const cells: string[][] = [];
  const cellWidths: number[][] = [];
  const natural = columns.map((c) => displayWidth(c.head));
  for (const row of rows) {
    const texts: string[] = [];
    const widths: number[] = [];
    for (let i = 0; i < count; i++) {
      const text = terminalSafe(row[i] ?? "").replace(/[\r\n]+/g, " ");
      const width = displayWidth(text);
      texts.push(text);
      widths.push(width);
      if (width > (natural[i] as number)) natural[i] = width;
    }
    cells.push(texts);
    cellWidths.push(widths);
  }
  const needs: ColumnNeed[] = columns.map((c, i) => ({
    natural: natural[i]!,
    least: Math.max(displayWidth(c.head), c.least ?? 6),
    priority: c.priority ?? 0,
    ...(c.want === undefined ? {} : { want: c.want }),
  }));
  const allowed = options.wide
    ? natural
    : fitColumns(needs, options.width - PER_COLUMN - 1, PER_COLUMN);
  const shown = columns.map((_, i) => i).filter((i) => allowed[i]! > 0);
  // A cell cut to its column's width, and the width it then takes.
  const fit = (text: string, width: number, i: number): [string, number] => {
    const most = allowed[i] as number;
    if (width <= most) return [text, width];
    const cut = columns[i]!.cut === "middle" ? cutMiddle(text, most) : cutEnd(text, most);
    return [cut, displayWidth(cut)];
  };
  const head = shown.map((i) => fit(columns[i]!.head, displayWidth(columns[i]!.head), i));
  const body = cells.map((row, r) =>
    shown.map((i) => fit(row[i] as string, cellWidths[r]![i] as number, i)),
  );
  // Each column as wide as its widest fitted cell (what is drawn, not what was allowed).
  const drawn = head.map(([, width], k) => {
    let max = width;
    for (const row of body) max = Math.max(max, row[k]![1]);
    return max;
  });
  const right = shown.map((i) => columns[i]!.align === "right");
  const line = (
    texts: readonly [string, number][],
    styled: (text: string, k: number) => string,
  ) => {
    let out = "│";
    for (let k = 0; k < texts.length; k++) {
      const [text, width] = texts[k] as [string, number];
      const pad = spaces(drawn[k]! - width);
      out += right[k] ? ` ${pad}${styled(text, k)} │` : ` ${styled(text, k)}${pad} │`;
    }
    return out;
  };
  const rule = (left: string, join: string, end: string) =>
    `${left}${drawn.map((w) => ruleOf(w + 2)).join(join)}${end}`;
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
