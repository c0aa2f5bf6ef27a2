/**
 * `--since`/`--until` values: an RFC 3339 time (a missing zone means UTC, Dynamo's default), a
 * bare date, or a duration back from now (`90s`, `10m`, `2h`, `1d`, `1h30m`, optionally followed
 * by `ago`).
 */
import { parseTimeUs } from "../parse/time.js";

const UNIT_US: Record<string, number> = {
  ms: 1e3,
  s: 1e6,
  m: 60e6,
  min: 60e6,
  h: 3600e6,
  d: 86400e6,
  w: 7 * 86400e6,
};

/** A duration (`500ms`, `3s`, `1h30m`) in microseconds, or null when the text is not one. */
export function parseDurationUs(text: string): number | null {
  const body = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|min|m|h|d|w))+$/.test(body)) return null;
  let total = 0;
  for (const m of body.matchAll(/(\d+(?:\.\d+)?)(ms|s|min|m|h|d|w)/g)) {
    total += Number(m[1]) * (UNIT_US[m[2] as string] as number);
  }
  return total;
}

/** Microseconds since the epoch, or null when the text is neither a time nor a duration. */
export function parseTimeBound(text: string, nowUs: number): number | null {
  const trimmed = text.trim();
  const duration = parseDurationUs(trimmed.replace(/\s*ago$/, ""));
  if (duration !== null) return nowUs - duration;
  let candidate = trimmed;
  if (/^\d{4}-\d\d-\d\d$/.test(candidate)) candidate += "T00:00:00Z";
  else if (/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d$/.test(candidate)) candidate += ":00Z";
  else if (/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?$/.test(candidate)) candidate += "Z";
  const us = parseTimeUs(candidate);
  return Number.isNaN(us) ? null : us;
}
