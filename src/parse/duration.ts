/**
 * Durations as people and tracing write them: `500ms`, `3s`, `1.5s`, `250µs` (or `250us`),
 * `120ns`, `10m`, `2h`, `1d`, `1w`, and sums such as `1h30m`. One parser for every option that
 * takes a duration and for duration values read from records.
 *
 * Receives: text. Emits: microseconds, or null when the text is not a duration.
 */

const UNIT_US: Readonly<Record<string, number>> = {
  ns: 1e-3,
  µs: 1,
  us: 1,
  ms: 1e3,
  s: 1e6,
  m: 60e6,
  min: 60e6,
  h: 3600e6,
  d: 86400e6,
  w: 7 * 86400e6,
};

const WHOLE = /^(?:\d+(?:\.\d+)?(?:ns|µs|us|ms|min|s|m|h|d|w))+$/;
const PART = /(\d+(?:\.\d+)?)(ns|µs|us|ms|min|s|m|h|d|w)/g;

/** Microseconds in a duration with units, or null. A bare number is not a duration. */
export function parseDurationUs(text: string): number | null {
  if (!WHOLE.test(text)) return null;
  let total = 0;
  for (const m of text.matchAll(PART)) {
    total += Number(m[1]) * (UNIT_US[m[2] as string] as number);
  }
  return total;
}

/** Microseconds per unit of a number whose name ends in a unit (`ttft_ms`, `duration_us`), or null. */
export function unitOfName(name: string): number | null {
  const m = /_(ns|us|ms|s|secs|seconds)$/.exec(name);
  if (m === null) return null;
  const unit = m[1] as string;
  return UNIT_US[unit.startsWith("s") ? "s" : unit] as number;
}
