/**
 * Level names in directives, read as tracing's `LevelFilter::from_str` reads them: a number 0-5
 * (with an optional `+`, leading zeros allowed), or a level name in any ASCII case.
 */
import { DEBUG, ERROR, INFO, type LevelFilter, OFF, TRACE, WARN } from "../model/level.js";

const BY_NUMBER: readonly LevelFilter[] = [OFF, ERROR, WARN, INFO, DEBUG, TRACE];
const BY_NAME: ReadonlyMap<string, LevelFilter> = new Map<string, LevelFilter>([
  ["off", OFF],
  ["error", ERROR],
  ["warn", WARN],
  ["info", INFO],
  ["debug", DEBUG],
  ["trace", TRACE],
]);

/** Parses a level filter; undefined when the text is not one. */
export function parseLevelFilter(text: string): LevelFilter | undefined {
  if (/^\+?[0-9]+$/.test(text)) {
    const digits = text.replace(/^\+?0*/, "");
    if (digits.length <= 1) return BY_NUMBER[digits === "" ? 0 : Number(digits)];
    return undefined;
  }
  if (text === "") return ERROR;
  // eq_ignore_ascii_case: only ASCII letters fold, so "İNFO" is not "info".
  return BY_NAME.get(text.replace(/[A-Z]/g, (c) => c.toLowerCase()));
}

export const LEVEL_FILTER_NAMES = ["off", "error", "warn", "info", "debug", "trace"] as const;
