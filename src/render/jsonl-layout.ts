/**
 * A record as the line Dynamo's JSONL mode (`DYN_LOGGING_JSONL=true`) writes for it:
 *
 *     {"time":…,"level":…[,"file":…,"line":…],"target":…,"message":…[,<key>:<value>]...}
 *
 * - `time`, `level`, `file`/`line` (when known), `target`, `message` come first, in that order;
 * - every other key follows sorted by name in byte order (serde's BTreeMap; UTF-8 byte order is
 *   code point order, which JavaScript's default UTF-16 sort is not): the fields, the ids the
 *   JSONL layer adds (`span_id`, `span_name`, `trace_id`, `parent_id`, when known) and, for a
 *   bridged Python record read from JSON, its `log.*` keys (its `target` is then `log`);
 * - numbers, bools, null, objects and arrays are written as their raw token (numbers exact);
 *   strings are escaped as serde_json escapes them: `\"` `\\` `\n` `\r` `\t` `\b` `\f`, other
 *   C0 controls as `\u00xx` (lowercase), everything else as is. `JSON.stringify` does exactly
 *   this for any string Rust can hold (no lone surrogates).
 * A JSON line already in that order comes back byte for byte. A readable-layout record writes
 * its target as `target` (the `log.*` keys of a Python record are not in the readable form), its
 * innermost span as `span_name`, and always a `message` (Dynamo writes `""` for an event
 * without one).
 *
 * Lines that are not records, and records that had a launcher prefix, are written as
 * parse/raw-line.ts describes (`@raw`, `@source`, `@time`, `@prefix`, `@bytes`).
 *
 * Receives: a record. Emits: the JSONL line, without newline.
 */
import { isUtf8 } from "node:buffer";
import { LEVEL_NAMES } from "../model/level.js";
import type { Field, LogRecord } from "../model/record.js";
import { BYTES_KEY, PREFIX_KEY, RAW_KEY, SOURCE_KEY, TIME_KEY } from "../parse/raw-line.js";

const quote = JSON.stringify as (s: string) => string;

/** Compares keys by code point, as Rust compares the UTF-8 bytes of `String` keys. */
function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (0xD800-0xDFFF) stands for a code point above every BMP character.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

function valueToken(field: Field): string {
  return field.kind === "string" ? quote(field.text) : field.raw;
}

/** A Python record bridged through the `log` crate, read from a JSON line with `log.target`. */
function isBridged(rec: LogRecord): boolean {
  if (rec.kind !== "json") return false;
  return rec.logFields.some((f) => f.key === "log.target" && f.text === rec.target);
}

function lineToken(line: string): string {
  return /^(?:0|[1-9][0-9]*)$/.test(line) ? line : quote(line);
}

/** The sorted part: fields, span ids and `log.*` keys, each as `"key":value`. */
function sortedMembers(rec: LogRecord): string[] {
  const members: [string, string][] = [];
  for (const f of rec.fields) members.push([f.key, valueToken(f)]);
  if (rec.kind === "json") for (const f of rec.logFields) members.push([f.key, valueToken(f)]);
  const ids: [string, string][] = [
    ["span_id", rec.spanId],
    ["span_name", rec.spanName],
    ["trace_id", rec.traceId],
    ["parent_id", rec.parentId],
  ];
  for (const [key, value] of ids) if (value !== "") members.push([key, quote(value)]);
  members.sort((a, b) => byCodePoint(a[0], b[0]));
  return members.map(([key, token]) => `${quote(key)}:${token}`);
}

export function renderDynamoJsonl(rec: LogRecord): string {
  const bridged = isBridged(rec);
  const out: string[] = [];
  if (rec.time !== "") out.push(`"time":${quote(rec.time)}`);
  const level = rec.levelText !== "" ? rec.levelText : LEVEL_NAMES[rec.level];
  out.push(`"level":${quote(level)}`);
  if (!bridged && rec.file !== "") out.push(`"file":${quote(rec.file)}`);
  if (!bridged && rec.line !== "") out.push(`"line":${lineToken(rec.line)}`);
  out.push(`"target":${bridged ? '"log"' : quote(rec.target)}`);
  if (rec.hasMessage || rec.kind !== "json") out.push(`"message":${quote(rec.message)}`);
  // concat, not push(...): a record may have more members than a call can take arguments.
  return `{${out.concat(sortedMembers(rec)).join(",")}}`;
}

/** A record's JSONL line with its launcher prefix inside (`@prefix`, `@source` last), if any. */
export function withPrefixMembers(rec: LogRecord, line: string): string {
  if (rec.prefix === "") return line;
  const members = `,"${PREFIX_KEY}":${quote(rec.prefix)},"${SOURCE_KEY}":${quote(rec.label)}}`;
  return line.slice(0, -1) + members;
}

/**
 * A line that is not a record as an object of its own: its text, source, the time of the record
 * before it (`time`, "" when none), its prefix, and its bytes when they were not UTF-8.
 */
export function renderRawLineJsonl(rec: LogRecord, time: string): string {
  const cr = rec.eol === "\r\n" ? "\r" : "";
  const text = typeof rec.raw === "string" ? rec.raw : rec.raw.toString("utf8");
  let out = `{"${RAW_KEY}":${quote(text.slice(rec.prefix.length) + cr)}`;
  out += `,"${SOURCE_KEY}":${quote(rec.label)}`;
  if (time !== "") out += `,"${TIME_KEY}":${quote(time)}`;
  if (rec.prefix !== "") out += `,"${PREFIX_KEY}":${quote(rec.prefix)}`;
  // Bytes that are valid UTF-8 after all (a piece of an over-long line) need no copy: `@raw` is them.
  if (typeof rec.raw !== "string" && !isUtf8(rec.raw)) {
    const bytes = cr === "" ? rec.raw : Buffer.concat([rec.raw, Buffer.from(cr)]);
    out += `,"${BYTES_KEY}":"${bytes.toString("base64")}"`;
  }
  return `${out}}`;
}

const JSON_UNSAFE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]/g;

/**
 * A JSON text made terminal-safe without changing its value: DEL and C1 controls (which JSON
 * allows raw inside strings) are written as `\u` escapes; a tab or CR kept from the input
 * between tokens of a nested value (JSON white space; raw controls cannot be inside strings)
 * becomes a space. Newlines stay: pretty documents are made of lines.
 */
export function jsonTerminalSafe(json: string): string {
  JSON_UNSAFE.lastIndex = 0;
  if (!JSON_UNSAFE.test(json)) return json;
  return json.replace(JSON_UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x20 ? " " : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
