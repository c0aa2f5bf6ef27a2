/**
 * Re-renders record times in a chosen zone (`--tz`, `--local`), keeping microseconds:
 * `2025-09-02T17:50:01.770028+02:00`, or `...Z` for UTC, as Dynamo writes with and without
 * `DYN_LOG_USE_LOCAL_TZ`. date-fns-tz costs about 15 µs a call, and a log has thousands of records
 * per second, so the zone part is computed once per wall-clock second and cached.
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

/** Loads date-fns-tz only when a zone is asked for: it costs ~90 ms of start-up otherwise. */
export async function zoneRenderer(zone: string): Promise<TimeRenderer> {
  checkZone(zone);
  const { formatInTimeZone } = await import("date-fns-tz");
  const utc = isUtc(zone);
  let cachedSecond = Number.NaN;
  let cachedHead = "";
  let cachedTail = "";
  return (rec: LogRecord): string => {
    const us = rec.timeUs;
    if (Number.isNaN(us)) return rec.time;
    const second = Math.floor(us / 1_000_000);
    if (second !== cachedSecond) {
      const date = new Date(second * 1000);
      if (utc) {
        cachedHead = date.toISOString().slice(0, 19);
        cachedTail = "Z";
      } else {
        const text = formatInTimeZone(date, zone, "yyyy-MM-dd'T'HH:mm:ss|xxx");
        const bar = text.indexOf("|");
        cachedHead = text.slice(0, bar);
        cachedTail = text.slice(bar + 1);
      }
      cachedSecond = second;
    }
    const micros = String(us - second * 1_000_000).padStart(6, "0");
    return cachedHead + "." + micros + cachedTail;
  };
}
