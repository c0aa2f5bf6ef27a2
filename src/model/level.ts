/**
 * Severity levels as tracing orders them. A record's level and a filter's level share one numeric
 * scale so that "is this record enabled" is a single comparison: OFF < ERROR < ... < TRACE.
 */

export const OFF = 0;
export const ERROR = 1;
export const WARN = 2;
export const INFO = 3;
export const DEBUG = 4;
export const TRACE = 5;

/** Numeric level of a record; 0 never occurs on a record (unknown levels map to INFO). */
export type Level = 1 | 2 | 3 | 4 | 5;
/** A filter's level: OFF disables everything. */
export type LevelFilter = 0 | Level;

const RECORD_LEVELS: ReadonlyMap<string, Level> = new Map<string, Level>([
  ["ERROR", ERROR],
  ["WARN", WARN],
  ["INFO", INFO],
  ["DEBUG", DEBUG],
  ["TRACE", TRACE],
]);

/** Canonical upper-case names, indexed by level number. */
export const LEVEL_NAMES = ["OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"] as const;

/**
 * Reads a record's level. Dynamo writes upper case; other writers use lower or mixed case, and a
 * few use words tracing does not know (`WARNING`, `NOTICE`). Those are kept for display and
 * treated as INFO by filters, so a record is never lost for its spelling.
 */
export function parseRecordLevel(text: string): Level | 0 {
  const exact = RECORD_LEVELS.get(text);
  if (exact !== undefined) return exact;
  const upper = text.toUpperCase();
  const folded = RECORD_LEVELS.get(upper);
  if (folded !== undefined) return folded;
  if (upper === "WARNING") return WARN;
  if (upper === "CRITICAL" || upper === "FATAL") return ERROR;
  return 0;
}
