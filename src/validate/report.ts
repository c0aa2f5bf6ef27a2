/**
 * The result of `validate`, for people and for programs. Text: one line per problem,
 * `<source>:<line>: <severity>: <problem>` (the form compilers use, so editors can jump to it),
 * then a summary: counts of lines, then a table of each kind of problem (fitted to the width;
 * severities and non-zero counts coloured when colour is on). JSON: one document,
 *
 *     { "files", "unreadable", "lines", "records", "unparsed", "invalid", "errors", "warnings",
 *       "problems": [ { "source", "line", "severity", "kind", "problem" } ],
 *       "problems_omitted", "summary": { <kind>: <count> } }
 *
 * Everything echoed from the data is made terminal-safe.
 *
 * Receives: counts and the problem log. Emits: text.
 */
import { renderBoxTable } from "../render/box-table.js";
import { stringifyJson } from "../render/json-text.js";
import { terminalSafe } from "../render/terminal-safe.js";
import { PLAIN_THEME, type Theme } from "../render/theme.js";
import type { KindCount, ProblemLog } from "./problems.js";
import type { LineCounts } from "./validate-sink.js";

export interface ValidateResult extends LineCounts {
  /** Inputs given. */
  files: number;
  /** Inputs that could not be read (in whole or in part). */
  unreadable: number;
  log: ProblemLog;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Errors before warnings, then the most frequent first, then by name. */
function byImportance(a: [string, KindCount], b: [string, KindCount]): number {
  const rank = (k: KindCount) => (k.severity === "error" ? 0 : 1);
  return rank(a[1]) - rank(b[1]) || b[1].count - a[1].count || a[0].localeCompare(b[0]);
}

/** How the text report is drawn: colours and the width its summary table fits. */
export interface ReportView {
  theme: Theme;
  width: number;
}

const PLAIN_VIEW: ReportView = { theme: PLAIN_THEME, width: 120 };

function severityStyle(theme: Theme, severity: string): (s: string) => string {
  return severity === "error" ? theme.error : theme.warn;
}

export function renderValidateText(result: ValidateResult, view: ReportView = PLAIN_VIEW): string {
  const { theme } = view;
  const out: string[] = [];
  for (const p of result.log.problems()) {
    const where = terminalSafe(`${p.source}:${p.line}:`);
    const severity = severityStyle(theme, p.severity)(p.severity);
    out.push(`${where} ${severity}: ${terminalSafe(p.problem)}`);
  }
  if (result.log.omitted > 0) {
    out.push(`… and ${plural(result.log.omitted, "more problem")} (counted below, not listed)`);
  }
  if (out.length > 0) out.push("");
  const counted = (n: number, word: string, style: (s: string) => string) =>
    n > 0 ? style(plural(n, word)) : plural(n, word);
  const unreadable = result.unreadable > 0 ? ` (${result.unreadable} could not be read)` : "";
  out.push(
    `${plural(result.files, "file")}${unreadable}, ${plural(result.lines, "line")}: ` +
      `${plural(result.records, "JSON record")}, ${plural(result.unparsed, "other line")} (not JSON)`,
    `${counted(result.invalid, "invalid line", theme.error)}, ` +
      `${counted(result.log.errors, "error", theme.error)}, ` +
      `${counted(result.log.warnings, "warning", theme.warn)}`,
  );
  const kinds = [...result.log.summary].sort(byImportance);
  if (kinds.length > 0) {
    const table = renderBoxTable(
      [
        { head: "COUNT", align: "right" },
        {
          head: "SEVERITY",
          style: (text, row) => severityStyle(theme, kinds[row]![1].severity)(text),
        },
        { head: "PROBLEM", least: 12 },
      ],
      kinds.map(([kind, k]) => [String(k.count), k.severity, kind]),
      theme,
      { width: view.width, wide: false },
    );
    out.push(table);
  }
  return `${out.join("\n")}\n`;
}

export function renderValidateJson(result: ValidateResult): string {
  const summary: Record<string, number> = Object.create(null);
  for (const [kind, k] of result.log.summary) summary[kind] = k.count;
  const doc = {
    files: result.files,
    unreadable: result.unreadable,
    lines: result.lines,
    records: result.records,
    unparsed: result.unparsed,
    invalid: result.invalid,
    errors: result.log.errors,
    warnings: result.log.warnings,
    problems: result.log.problems().map((p) => ({
      source: p.source,
      line: p.line,
      severity: p.severity,
      kind: p.kind,
      problem: p.problem,
    })),
    problems_omitted: result.log.omitted,
    summary,
  };
  return `${stringifyJson(doc)}\n`;
}
