/**
 * RFC 3339 timestamps to microseconds since the epoch, without `Date` objects: the hot path reads
 * one per record. Accepts `Z`/`z` or `±HH:MM` (also `±HHMM`), a `T` or a space between date and
 * time, and 0-9 fractional digits (nanoseconds are truncated to microseconds).
 *
 * Receives: a timestamp string. Emits: a number of µs, or NaN when the text is not a timestamp.
 */

function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Cache of the last date prefix (`YYYY-MM-DD`) to its day number: logs repeat dates. */
let cachedDate = "";
let cachedDays = 0;

function dayNumber(s: string): number {
  const date = s.slice(0, 10);
  if (date === cachedDate) return cachedDays;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return Number.NaN;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return Number.NaN;
  if (day > (DAYS_IN_MONTH[month - 1] as number)) return Number.NaN;
  cachedDate = date;
  cachedDays = daysFromCivil(year, month, day);
  return cachedDays;
}

/** Parses an RFC 3339 timestamp; NaN if it is not one. */
export function parseTimeUs(s: string): number {
  if (s.length < 20) return Number.NaN;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 116 && sep !== 32) return Number.NaN;
  const days = dayNumber(s);
  if (Number.isNaN(days)) return Number.NaN;
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return Number.NaN;
  }
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return Number.NaN;
  let i = 19;
  let micros = 0;
  if (s.charCodeAt(i) === 46) {
    i++;
    let scale = 100000;
    const start = i;
    while (i < s.length) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      micros += c * scale;
      scale = Math.floor(scale / 10);
      i++;
    }
    if (i === start || i - start > 9) return Number.NaN;
  }
  const offsetMinutes = parseOffset(s, i);
  if (Number.isNaN(offsetMinutes)) return Number.NaN;
  const seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
  return seconds * 1_000_000 + micros;
}

/** Offset at `s[i]` in minutes east of UTC; NaN when malformed or followed by other text. */
function parseOffset(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 90 || c === 122) return i + 1 === s.length ? 0 : Number.NaN;
  if (c !== 43 && c !== 45) return Number.NaN;
  const hours = digits(s, i + 1, 2);
  let j = i + 3;
  if (s.charCodeAt(j) === 58) j++;
  const minutes = digits(s, j, 2);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || j + 2 !== s.length) {
    return Number.NaN;
  }
  const total = hours * 60 + minutes;
  return c === 45 ? -total : total;
}
