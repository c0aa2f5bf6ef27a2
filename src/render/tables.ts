/**
 * Tables through cli-table3, readable without colour: column heads are styled by the theme (not
 * by cli-table3's own colours), cells are made terminal-safe and cut with an ellipsis.
 */
import Table from "cli-table3";
import { clip } from "./terminal-safe.js";
import type { Theme } from "./theme.js";

export interface Column {
  head: string;
  align?: "left" | "right";
  max?: number;
}

export function renderTable(columns: Column[], rows: string[][], theme: Theme): string {
  const table = new Table({
    head: columns.map((c) => theme.header(c.head)),
    colAligns: columns.map((c) => c.align ?? "left"),
    style: { head: [], border: [], compact: true },
  });
  for (const row of rows) {
    table.push(row.map((cell, i) => clip(cell, columns[i]?.max ?? 80)));
  }
  return table.toString();
}
