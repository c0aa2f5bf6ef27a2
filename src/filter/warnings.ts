/**
 * Explains directives that Dynamo accepts without complaint but reads differently from what the
 * user most likely meant: the `target:level` spelling of Dynamo's own documentation, level words
 * EnvFilter does not know (`warning`), white space around a piece, pieces it silently drops, and a
 * filter left with no directive at all. dynlog decides exactly as Dynamo does and says so, once.
 *
 * Receives: the piece reports of a parsed filter. Emits: warning sentences (no prefix).
 */
import type { PieceReport } from "./directive.js";
import { LEVEL_FILTER_NAMES, parseLevelFilter } from "./level-filter.js";

/** Words people use for levels that EnvFilter does not know, and what they likely meant. */
const LEVEL_LOOKALIKES: ReadonlyMap<string, string> = new Map([
  ["warning", "warn"],
  ["warnings", "warn"],
  ["err", "error"],
  ["errors", "error"],
  ["fatal", "error"],
  ["critical", "error"],
  ["information", "info"],
  ["notice", "info"],
  ["verbose", "debug"],
  ["dbg", "debug"],
  ["all", "trace"],
  ["none", "off"],
  ["silent", "off"],
  ["quiet", "off"],
  ["disable", "off"],
  ["disabled", "off"],
]);

function levelLookalike(word: string): string | undefined {
  const lower = word.toLowerCase();
  const named = LEVEL_LOOKALIKES.get(lower);
  if (named) return named;
  if (/^[0-9]+$/.test(word)) return "trace (levels are numbered 0-5)";
  return undefined;
}

/** `dynamo_runtime::x:trace` -> `dynamo_runtime::x=trace`, when the tail is a level. */
function colonSpelling(target: string): string | undefined {
  const m = /^(.*[^:]):([A-Za-z]+|[0-5])$/.exec(target);
  if (!m) return undefined;
  const level = m[2] as string;
  if (parseLevelFilter(level) === undefined && !LEVEL_LOOKALIKES.has(level.toLowerCase())) {
    return undefined;
  }
  return `${m[1]}=${level}`;
}

function explainTarget(piece: string, target: string): string | undefined {
  const everyLevel = `is read by EnvFilter as the target ${JSON.stringify(target)} at every level`;
  if (target !== target.trim()) {
    const meant = piece.trim();
    return `'${piece}' ${everyLevel} (white space is kept in the target); did you mean '${meant}'?`;
  }
  const colon = colonSpelling(target);
  if (colon !== undefined) {
    return `'${piece}' ${everyLevel} (EnvFilter has no 'target:level' spelling); did you mean '${colon}'?`;
  }
  const lookalike = levelLookalike(target);
  if (lookalike !== undefined) {
    return `'${piece}' ${everyLevel}, not as a level (levels: ${LEVEL_FILTER_NAMES.join(", ")}); did you mean '${lookalike.split(" ")[0]}'?`;
  }
  return undefined;
}

/** One sentence per surprising piece, plus one when nothing survives. */
export function explainDirectives(reports: PieceReport[]): string[] {
  const warnings: string[] = [];
  for (const r of reports) {
    if (r.directive === undefined) {
      warnings.push(`'${r.piece}' is ignored, as Dynamo ignores it: ${r.error}`);
      continue;
    }
    const d = r.directive;
    if (d.target !== null && d.span === null && d.fields.length === 0) {
      const explained = explainTarget(r.piece, d.target);
      if (explained !== undefined) warnings.push(explained);
    }
  }
  if (reports.length > 0 && reports.every((r) => r.directive === undefined)) {
    warnings.push("no directive survives: Dynamo falls back to its default level 'info'");
  }
  return warnings;
}
