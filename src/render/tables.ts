/**
 * Boxed tables, readable without colour: column heads are styled by the theme, cells are made
 * terminal-safe and cut with an ellipsis, widths are measured in terminal columns. Rendering is
 * linear in the number of cells (`dynlog traces` prints one row per request: tens of thousands).
 *
 * Receives: columns and rows of plain text. Emits: the table as text (no trailing newline).
 */

import { clip } from "./terminal-safe.js";
import type { Theme } from "./theme.js";
import { displayWidth } from "./width.js";

export interface Column {
  head: string;
  align?: "left" | "right";
  max?: number;
}

function fit(text: string, width: number, align: "left" | "right"): string {
  const gap = " ".repeat(Math.max(0, width - displayWidth(text)));
  return align === "right" ? gap + text : text + gap;
}

function rule(widths: number[], left: string, middle: string, right: string): string {
  return left + widths.map((w) => "─".repeat(w + 2)).join(middle) + right;
}

export function renderTable(columns: Column[], rows: string[][], theme: Theme): string {
  const cells = rows.map((row) => columns.map((c, i) => clip(row[i] ?? "", c.max ?? 80)));
  // A loop, not Math.max(...cells): a spread of a million rows overflows the call stack.
  const widths = columns.map((c) => displayWidth(c.head));
  for (const row of cells) {
    for (let i = 0; i < widths.length; i++) {
      widths[i] = Math.max(widths[i] as number, displayWidth(row[i] as string));
    }
  }
  const line = (values: string[], style: (s: string) => string) =>
    `│${values
      .map((v, i) => ` ${style(fit(v, widths[i] as number, columns[i]?.align ?? "left"))} `)
      .join("│")}│`;
  const out = [
    rule(widths, "┌", "┬", "┐"),
    line(
      columns.map((c) => c.head),
      theme.header,
    ),
  ];
  out.push(rule(widths, "├", "┼", "┤"));
  for (const row of cells) out.push(line(row, (s) => s));
  out.push(rule(widths, "└", "┴", "┘"));
  return out.join("\n");
}
