/**
 * Re-renders record times in a chosen zone (`--tz`, `--local`), keeping microseconds:
 * `2025-09-02T17:50:01.770028+02:00`, or `...Z` for UTC, as Dynamo writes with and without
 * `DYN_LOG_USE_LOCAL_TZ`. date-fns-tz costs about 15 µs a call, and a log has thousands of records
 * per second: the zone's offset is looked up per stretch of time, a second's text is cached.
 *
 * Receives: a zone name. Emits: a time renderer over records.
 */
import type { LogRecord } from "../model/record.js";
import type { TimeRenderer } from "./dynamo-layout.js";

export class UnknownZoneError extends Error {}

/** Throws `UnknownZoneError` for a zone name the platform does not know. */
export function checkZone(zone: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    throw new UnknownZoneError(`unknown time zone '${zone}'`);
  }
}

/** The zone `--local` means: TZ if set, else the system's. */
export function localZone(): string {
  return process.env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

function isUtc(zone: string): boolean {
  return /^(utc|etc\/utc|etc\/gmt|gmt|z|zulu|etc\/zulu|universal|etc\/universal)$/i.test(zone);
}

/** Microseconds since the epoch to an RFC 3339 time with microseconds. */
export type UsFormatter = (us: number) => string;

function microsOf(us: number, second: number): string {
  return String(us - second * 1_000_000).padStart(6, "0");
}

/** What a time dynlog cannot know prints as (a span whose records carry no readable time). */
export const UNKNOWN_TIME = "(unknown time)";
/** The range of a JavaScript Date, in microseconds. */
const MAX_US = 8.64e18;

/** Whether `us` can be printed as a time (finite, within the range of a Date). */
export function isPrintableUs(us: number): boolean {
  return Number.isFinite(us) && Math.abs(us) <= MAX_US;
}

/** UTC, as Dynamo writes by default: `2025-10-31T13:52:10.706000Z`. */
export const formatUtc: UsFormatter = (us) => {
  if (!isPrintableUs(us)) return UNKNOWN_TIME;
  const second = Math.floor(us / 1_000_000);
  // Years past 9999 or before 0 print with a sign and six digits, as toISOString has them.
  return `${new Date(second * 1000).toISOString().slice(0, -5)}.${microsOf(us, second)}Z`;
};

/** `formatUtc`, or null for a time that is not known (JSON documents). */
export function utcOrNull(us: number): string | null {
  return isPrintableUs(us) ? formatUtc(us) : null;
}

/** Zone offsets are looked up for stretches of this many seconds (no zone changes twice in one). */
const STRETCH = 900;
/** Seconds of the years 1970 to 9999, which `toISOString` writes as `formatInTimeZone` does. */
const FAST_FROM = 0;
const FAST_UNTIL = 253_402_300_800;

/** `+05:30` -> milliseconds; NaN for anything else. */
function offsetOf(text: string): number {
  const m = /^([+-])(\d\d):(\d\d)$/.exec(text);
  if (m === null) return Number.NaN;
  const ms = (Number(m[2]) * 60 + Number(m[3])) * 60_000;
  return m[1] === "-" ? -ms : ms;
}

/**
 * Loads date-fns-tz only when a zone is asked for: it costs ~90 ms of start-up otherwise. The
 * zone's offset is asked for once per 15-minute stretch (at its start and its end; when they
 * differ, a change falls inside and each second is formatted in the zone), and a second's text is
 * built from the offset with `toISOString`, about 15 times cheaper.
 */
export async function zoneFormatter(zone: string): Promise<UsFormatter> {
  checkZone(zone);
  if (isUtc(zone)) return formatUtc;
  const { formatInTimeZone } = await import("date-fns-tz");
  let stretch = Number.NaN;
  let offsetMs = Number.NaN;
  let suffix = "";
  let cachedSecond = Number.NaN;
  let cachedHead = "";
  let cachedTail = "";
  const learnStretch = (second: number) => {
    stretch = Math.floor(second / STRETCH);
    const startMs = stretch * STRETCH * 1000;
    suffix = formatInTimeZone(new Date(startMs), zone, "xxx");
    const last = formatInTimeZone(new Date(startMs + (STRETCH - 1) * 1000), zone, "xxx");
    offsetMs = suffix === last ? offsetOf(suffix) : Number.NaN;
  };
  return (us: number): string => {
    if (!isPrintableUs(us)) return UNKNOWN_TIME;
    const second = Math.floor(us / 1_000_000);
    if (second !== cachedSecond) {
      if (Math.floor(second / STRETCH) !== stretch) learnStretch(second);
      const fast = Number.isFinite(offsetMs) && second >= FAST_FROM && second < FAST_UNTIL;
      if (fast) {
        cachedHead = new Date(second * 1000 + offsetMs).toISOString().slice(0, -5);
        cachedTail = suffix;
      } else {
        const text = formatInTimeZone(new Date(second * 1000), zone, "yyyy-MM-dd'T'HH:mm:ss|xxx");
        const bar = text.indexOf("|");
        cachedHead = text.slice(0, bar);
        cachedTail = text.slice(bar + 1);
      }
      cachedSecond = second;
    }
    return `${cachedHead}.${microsOf(us, second)}${cachedTail}`;
  };
}

/** Record times re-rendered in `zone`; records without a readable time keep theirs. */
export async function zoneRenderer(zone: string): Promise<TimeRenderer> {
  const format = await zoneFormatter(zone);
  return (rec: LogRecord): string => (Number.isNaN(rec.timeUs) ? rec.time : format(rec.timeUs));
}
