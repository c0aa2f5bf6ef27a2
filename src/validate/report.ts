/**
 * The result of `validate`, for people and for programs. Text: one line per problem,
 * `<source>:<line>: <severity>: <problem>` (the form compilers use, so editors can jump to it),
 * then a summary: counts of lines, then of each kind of problem. JSON: one document,
 *
 *     { "files", "unreadable", "lines", "records", "unparsed", "invalid", "errors", "warnings",
 *       "problems": [ { "source", "line", "severity", "kind", "problem" } ],
 *       "problems_omitted", "summary": { <kind>: <count> } }
 *
 * Everything echoed from the data is made terminal-safe.
 *
 * Receives: counts and the problem log. Emits: text.
 */
import { stringifyJson } from "../render/json-text.js";
import { terminalSafe } from "../render/terminal-safe.js";
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

export function renderValidateText(result: ValidateResult): string {
  const out: string[] = [];
  for (const p of result.log.problems()) {
    out.push(terminalSafe(`${p.source}:${p.line}: ${p.severity}: ${p.problem}`));
  }
  if (result.log.omitted > 0) {
    out.push(`… and ${plural(result.log.omitted, "more problem")} (counted below, not listed)`);
  }
  if (out.length > 0) out.push("");
  const unreadable = result.unreadable > 0 ? ` (${result.unreadable} could not be read)` : "";
  out.push(
    `${plural(result.files, "file")}${unreadable}, ${plural(result.lines, "line")}: ` +
      `${plural(result.records, "JSON record")}, ${plural(result.unparsed, "other line")} (not JSON)`,
    `${plural(result.invalid, "invalid line")}, ${plural(result.log.errors, "error")}, ` +
      `${plural(result.log.warnings, "warning")}`,
  );
  const kinds = [...result.log.summary].sort(byImportance);
  let width = 0;
  for (const [, k] of kinds) width = Math.max(width, String(k.count).length);
  for (const [kind, k] of kinds) {
    out.push(terminalSafe(`  ${String(k.count).padStart(width)} ${k.severity}: ${kind}`));
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
