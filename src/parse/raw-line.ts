/**
 * Lines that are not records, as JSON Lines. `convert --to jsonl` writes every line that is not
 * a record (a traceback printed by a worker, a progress bar, a line before the first record) as
 * an object of its own, so the output stays JSON Lines that `jq` can read to the end:
 *
 *     {"@raw":"Traceback (most recent call last):","@source":"decode","@time":"2025-…Z"}
 *
 * - `@raw`: the line's text after its launcher prefix, a CR kept at its end when the line ended
 *   in CRLF (always the first key: that is how the object is recognised);
 * - `@source`: the source the line came from (launcher prefix name, `label=`, file name);
 * - `@time`: the time of the record before it in its input, when there is one;
 * - `@prefix`: the launcher prefix exactly as written, when there was one;
 * - `@bytes`: the line's exact bytes in base64, when they were not valid UTF-8 (`@raw` then has
 *   U+FFFD in their place).
 * A record with a launcher prefix carries `@prefix` and `@source` after its Dynamo keys. Keys
 * starting with `@` cannot be Rust identifiers, so no Dynamo field can take these names.
 * Reading such an object back gives the line it came from, so text → JSONL → text is lossless.
 *
 * Receives: a line's text after any launcher prefix. Emits: the unparsed record it stands for.
 */
import type { LogRecord } from "../model/record.js";

export const RAW_KEY = "@raw";
export const SOURCE_KEY = "@source";
export const TIME_KEY = "@time";
export const PREFIX_KEY = "@prefix";
export const BYTES_KEY = "@bytes";

const OPENING = `{"${RAW_KEY}":`;

/** Fills `rec` (left unparsed) with the line a raw-line object stands for; false if it is none. */
export function readRawLine(rec: LogRecord, body: string): boolean {
  if (!body.startsWith(OPENING)) return false;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return false;
  }
  const object = value as Record<string, unknown>;
  const raw = object[RAW_KEY];
  if (typeof raw !== "string") return false;
  const prefix = typeof object[PREFIX_KEY] === "string" ? (object[PREFIX_KEY] as string) : "";
  const source = object[SOURCE_KEY];
  const bytes = object[BYTES_KEY];
  rec.prefix = prefix;
  if (typeof source === "string" && source !== "" && !rec.source.labelled) rec.label = source;
  rec.raw = typeof bytes === "string" ? Buffer.from(bytes, "base64") : prefix + raw;
  return true;
}
