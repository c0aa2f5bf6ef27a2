/**
 * The pieces of robustness and terminal safety, unit by unit: escaping for terminals (text,
 * raw lines, invalid UTF-8 bytes, clipping), times that cannot be printed, the recursion-free
 * JSON writer, display width, over-long lines counted as one line, gzip errors that keep the
 * data before them, and the schema check of `validate`.
 */
import { gzipSync } from "node:zlib";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { gunzipChunks } from "../../src/input/gunzip.js";
import { LineSplitter } from "../../src/input/line-splitter.js";
import type { LogRecord, Source } from "../../src/model/record.js";
import { RecordReader } from "../../src/parse/record-reader.js";
import { stringifyJson } from "../../src/render/json-text.js";
import {
  clip,
  terminalSafe,
  terminalSafeBytes,
  terminalSafeLine,
} from "../../src/render/terminal-safe.js";
import { formatUtc, UNKNOWN_TIME, utcOrNull } from "../../src/render/time-zone.js";
import { displayWidth } from "../../src/render/width.js";
import { MAX_LISTED_PROBLEMS, ProblemLog } from "../../src/validate/problems.js";
import { checkSchema } from "../../src/validate/schema.js";

const SOURCE: Source = { index: 0, label: "s", path: "s", labelled: false };

test("terminalSafe: escapes ESC, C0, DEL, C1 and bare CR; multi-line keeps LF, tab, CRLF", () => {
  assert.is(terminalSafe("a\x1b]52;c;eA==\x07b"), "a\\x1b]52;c;eA==\\x07b");
  assert.is(terminalSafe("x\r\ny\tz\b\u009b\x7f"), "x\\r\\ny\\tz\\x08\\u{9b}\\x7f");
  assert.is(terminalSafe("x\r\ny\tz\rw", true), "x\r\ny\tz\\rw");
  assert.is(terminalSafe("plain é 日本 🦀"), "plain é 日本 🦀");
  assert.is(terminalSafeLine("tab\tkept\x1b[2J"), "tab\tkept\\x1b[2J");
});

test("terminalSafeBytes: invalid UTF-8 bytes as \\xNN, valid text decoded and escaped", () => {
  const bytes = Buffer.concat([
    Buffer.from("ok é "),
    Buffer.from([0xc0, 0xaf, 0x20, 0xed, 0xa0, 0x80, 0x20, 0x9b, 0x20, 0xe2, 0x82]),
    Buffer.from(" \x1b"),
  ]);
  assert.is(terminalSafeBytes(bytes), "ok é \\xc0\\xaf \\xed\\xa0\\x80 \\x9b \\xe2\\x82 \\x1b");
});

test("clip: escapes, cuts with an ellipsis, never inside a surrogate pair, bounded work", () => {
  assert.is(clip("abcdef", 4), "abc…");
  assert.is(clip("ab\x1bcd", 20), "ab\\x1bcd");
  assert.is(clip("a🦀🦀", 3), "a…");
  assert.is(clip("x".repeat(64 * 1024 * 1024), 10), "xxxxxxxxx…");
});

test("times that cannot be printed: a placeholder in views, null in JSON", () => {
  assert.is(formatUtc(Number.NaN), UNKNOWN_TIME);
  assert.is(formatUtc(Number.POSITIVE_INFINITY), UNKNOWN_TIME);
  assert.is(utcOrNull(Number.NEGATIVE_INFINITY), null);
  assert.is(formatUtc(0), "1970-01-01T00:00:00.000000Z");
  assert.is(formatUtc(253402300800000000), "+010000-01-01T00:00:00.000000Z");
});

test("stringifyJson: JSON.stringify's text, without recursion, C1 escaped", () => {
  const doc = { a: [1, "x", null, { b: true, c: [] }], d: {}, e: "t\u009b", f: undefined };
  assert.is(stringifyJson(doc), JSON.stringify(doc, null, 2).replace("\u009b", "\\u009b"));
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = { c: [deep] };
  const text = stringifyJson(deep);
  assert.ok(text.length < 3_000_000, `compact past the indentation cap: ${text.length}`);
  assert.ok(JSON.parse(text));
});

test("stringifyJson: keys met again, thousands of keys, escaped keys, a key above and below the cap", () => {
  const keys = Array.from({ length: 6000 }, (_, i) => (i % 7 === 0 ? `q"${i}\\\t` : `k${i}`));
  const row = Object.fromEntries(keys.map((k, i) => [k, i % 3 === 0 ? [i, { k0: k }] : k]));
  const doc = { rows: [row, row, { ...row, k1: undefined }], k0: "top" };
  assert.is(stringifyJson(doc), JSON.stringify(doc, null, 2));
  // The same key written indented near the top and compactly past the indentation cap.
  let deep: unknown = { k0: "bottom" };
  for (let i = 0; i < 40; i++) deep = { k0: i, c: [deep] };
  const text = stringifyJson(deep);
  assert.equal(JSON.parse(text), deep);
  assert.ok(text.includes('\n  "k0": 39,'), "indented near the top");
  assert.ok(text.includes('{"k0":"bottom"}'), "compact past the cap");
});

test("displayWidth: ASCII and box drawing by length, the rest measured", () => {
  assert.is(displayWidth("├─ name …"), 9);
  assert.is(displayWidth("日本"), 4);
  assert.is(displayWidth("\x1b[1mab\x1b[0m"), 2);
});

test("an over-long line released in pieces still counts as one line", () => {
  const reader = new RecordReader(SOURCE);
  const splitter = new LineSplitter(reader.pushLine, 16);
  splitter.push(Buffer.from(`short\n${"y".repeat(100)}\nnext\n`));
  splitter.end();
  reader.end();
  const records: LogRecord[] = reader.take();
  assert.equal([...new Set(records.map((r) => r.lineNo))], [1, 2, 3]);
  const line2 = records
    .filter((r) => r.lineNo === 2)
    .map((r) => r.raw.toString())
    .join("");
  assert.is(line2, "y".repeat(100));
});

test("the last piece of an over-long line is part of that line, not a record of its own", () => {
  const reader = new RecordReader(SOURCE);
  const splitter = new LineSplitter(reader.pushLine, 16);
  // The line is cut across reads: its head is held past the limit and released, and its tail,
  // which reads like a record, arrives with the newline.
  splitter.push(Buffer.from(`{"message":"${"y".repeat(20)}`));
  splitter.push(Buffer.from('{"level":"ERROR","message":"tail"}\nnext\n'));
  splitter.end();
  reader.end();
  const records: LogRecord[] = reader.take();
  assert.equal(
    records.map((r) => [r.lineNo, r.kind]),
    [
      [1, "unparsed"],
      [1, "unparsed"],
      [2, "unparsed"],
    ],
  );
  assert.ok(!records.some((r) => r.message === "tail"), "no record made from a piece");
});

async function gunzipAll(bytes: Buffer): Promise<{ text: string; error: string | null }> {
  const chunks: Buffer[] = [];
  async function* rest() {}
  try {
    for await (const c of gunzipChunks(bytes, rest(), 1 << 20)) chunks.push(c);
    return { text: Buffer.concat(chunks).toString(), error: null };
  } catch (err) {
    return { text: Buffer.concat(chunks).toString(), error: (err as Error).message };
  }
}

test("gzip: a bad checksum or trailing garbage still gives all the data, then the error", async () => {
  const text = Array.from({ length: 500 }, (_, i) => `line ${i}`).join("\n");
  const gz = gzipSync(Buffer.from(text));
  const badCrc = Buffer.from(gz);
  badCrc[badCrc.length - 8] = (badCrc[badCrc.length - 8] as number) ^ 0xff;
  const crc = await gunzipAll(badCrc);
  assert.is(crc.text, text);
  assert.match(crc.error ?? "", /check/);
  const garbage = await gunzipAll(Buffer.concat([gz, Buffer.from("garbage")]));
  assert.is(garbage.text, text);
  assert.ok(garbage.error !== null);
  assert.equal(await gunzipAll(gz), { text, error: null });
});

test("schema: Dynamo's rules, bridged Python records, repeated keys, prototype keys", () => {
  const ok =
    '{"time":"2025-11-04T09:12:04.305599Z","level":"INFO","file":"a.rs","line":1,"target":"t","message":"m"}';
  assert.equal(checkSchema(ok), []);
  const py =
    '{"time":"2025-11-04T09:12:04.305599Z","level":"INFO","target":"log","message":"m","log.file":"a.py","log.line":3,"log.target":"x"}';
  assert.equal(checkSchema(py), []);
  const pyBad = py.replace('"log.line":3', '"log.line":"3"');
  assert.equal(
    checkSchema(pyBad)?.map((i) => i.problem),
    [`'log.line' is not an integer (got "3")`],
  );
  const proto = ok.replace('"message":"m"', '"message":"m","__proto__":{"x":1},"k":1,"k":2');
  assert.equal(
    checkSchema(proto)?.map((i) => `${i.severity} ${i.problem}`),
    ["warning key 'k' appears more than once (the last value counts)"],
  );
  // Keys are the line's own: names an object inherits are not taken for repeats.
  const inherited = ok.replace('"message":"m"', '"message":"m","toString":1,"constructor":2');
  assert.equal(checkSchema(inherited), []);
  const twice = ok.replace('"message":"m"', '"message":"m","__proto__":1,"__proto__":2');
  assert.equal(
    checkSchema(twice)?.map((i) => i.problem),
    ["key '__proto__' appears more than once (the last value counts)"],
  );
  // A checked key repeated keeps its last value; other keys alike in length and last character
  // are not repeats; an escaped spelling is the same key.
  const level = ok.replace('"message":"m"', '"message":"m","level":"LOUD","ab":1,"cb":2');
  assert.equal(
    checkSchema(level)?.map((i) => i.problem),
    [
      "'level' is not one of ERROR, WARN, INFO, DEBUG, TRACE (got \"LOUD\")",
      "key 'level' appears more than once (the last value counts)",
    ],
  );
  const escaped = ok.replace('"message":"m"', '"message":"m","k":1,"\\u006b":2');
  assert.equal(
    checkSchema(escaped)?.map((i) => i.problem),
    ["key 'k' appears more than once (the last value counts)"],
  );
  assert.is(checkSchema("[1,2]"), null);
  assert.is(checkSchema('{"a":'), null);
});

test("validate's problem log: a bounded listing in line order, every problem counted", () => {
  const log = new ProblemLog(["a.jsonl", "b.jsonl"]);
  for (let i = MAX_LISTED_PROBLEMS + 5; i > 0; i--) {
    log.add({ sourceIndex: i % 2, line: i }, "error", "invalid JSON", `line ${i}`);
  }
  const listed = log.problems();
  assert.is(listed.length, MAX_LISTED_PROBLEMS);
  assert.is(log.omitted, 5);
  assert.is(log.summary.get("invalid JSON")?.count, MAX_LISTED_PROBLEMS + 5);
  assert.is(listed[0]?.source, "a.jsonl");
  assert.ok(
    listed.every(
      (p, i) =>
        i === 0 ||
        p.sourceIndex > (listed[i - 1]?.sourceIndex ?? 0) ||
        p.line > (listed[i - 1]?.line ?? 0),
    ),
  );
});

test.run();
