/**
 * `--since`/`--until` values: an RFC 3339 time (a missing zone means UTC, Dynamo's default), a
 * bare date, or a duration back from now (`90s`, `10m`, `2h`, `1d`, `1h30m`, optionally followed
 * by `ago`).
 */
import { parseDurationUs } from "../parse/duration.js";
import { parseTimeUs } from "../parse/time.js";

function durationUs(text: string): number | null {
  return parseDurationUs(text.replace(/\s*ago$/, "").trim());
}

/** Microseconds since the epoch, or null when the text is neither a time nor a duration. */
export function parseTimeBound(text: string, nowUs: number): number | null {
  const trimmed = text.trim();
  const duration = durationUs(trimmed);
  if (duration !== null) return nowUs - duration;
  let candidate = trimmed;
  if (/^\d{4}-\d\d-\d\d$/.test(candidate)) candidate += "T00:00:00Z";
  else if (/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d$/.test(candidate)) candidate += ":00Z";
  else if (/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?$/.test(candidate)) candidate += "Z";
  const us = parseTimeUs(candidate);
  return Number.isNaN(us) ? null : us;
}
