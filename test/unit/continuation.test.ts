/**
 * Multi-line readable messages (parse/continuation.ts through RecordReader) and raw-line objects
 * read back (parse/raw-line.ts).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LineSplitter } from "../../src/input/line-splitter.js";
import type { LogRecord, Source } from "../../src/model/record.js";
import { RecordReader } from "../../src/parse/record-reader.js";

const SOURCE: Source = { index: 0, label: "w", path: "w", labelled: false };
const T = "2025-09-02T15:50:01.770028Z";

function read(text: string): LogRecord[] {
  const reader = new RecordReader(SOURCE);
  const splitter = new LineSplitter(reader.pushLine);
  splitter.push(Buffer.from(text));
  splitter.end();
  reader.end();
  return reader.take();
}

const shape = (r: LogRecord) => [r.kind, r.kind === "unparsed" ? r.raw : r.message, r.lineCount];

test("a record's message goes on over the lines after it, CRLF kept", () => {
  const recs = read(
    `${T} ERROR main.init: Traceback:\n  File "a.py"\r\nValueError: x\n${T}  INFO t::x: next\n`,
  );
  assert.equal(recs.map(shape), [
    ["text", 'Traceback:\n  File "a.py"\r\nValueError: x', 3],
    ["text", "next", 1],
  ]);
  assert.is(recs[0]?.raw, `${T} ERROR main.init: Traceback:\n  File "a.py"\r\nValueError: x`);
  assert.is(recs[0]?.eol, "\n");
});

test("fields end a record: a line ending with them, or a first line that has them", () => {
  const recs = read(`${T}  INFO t::x: one\ntwo k=1\nafter\n${T}  INFO t::x: m k="v"\nraw\n`);
  assert.equal(recs.map(shape), [
    ["text", "one\ntwo", 2],
    ["unparsed", "after", 1],
    ["text", "m", 1],
    ["unparsed", "raw", 1],
  ]);
  assert.equal(
    recs[0]?.fields.map((f) => [f.key, f.raw]),
    [["k", "1"]],
  );
});

test("a JSON line, a line of another source, or the bounds end a message", () => {
  const json = read(`${T}  INFO t::x: m\n{"level":"INFO","message":"j"}\nafter\n`);
  assert.equal(json.map(shape), [
    ["text", "m", 1],
    ["json", "j", 1],
    ["unparsed", "after", 1],
  ]);
  const prefixed = read(`a-1  | ${T}  INFO t::x: m\na-1  | more\nb-1  | other\n`);
  assert.equal(
    prefixed.map((r) => [r.label, r.lineCount]),
    [
      ["a-1", 2],
      ["b-1", 1],
    ],
  );
  const long = read(`${T}  INFO t::x: m\n${"line\n".repeat(70)}`);
  assert.is(long[0]?.lineCount, 64);
  assert.is(long.length, 1 + 70 - 63);
});

test("a held record is let go when the input goes quiet, and the reader is not settled meanwhile", () => {
  const reader = new RecordReader(SOURCE);
  const splitter = new LineSplitter(reader.pushLine);
  splitter.push(Buffer.from(`${T}  INFO t::x: m\n`));
  assert.equal(reader.take(), []);
  assert.ok(reader.holdsReadable);
  assert.not.ok(reader.settled);
  reader.flushReadable();
  assert.equal(reader.take().map(shape), [["text", "m", 1]]);
  assert.ok(reader.settled);
});

test("raw-line objects read back as the lines they stand for", () => {
  const recs = read(
    [
      '{"@raw":"Traceback","@source":"decode","@time":"T"}',
      '{"@raw":"x\\r","@source":"decode-1","@prefix":"decode-1  | "}',
      `{"@raw":"bad\\ufffd","@source":"s","@bytes":"${Buffer.from([0x62, 0xff]).toString("base64")}"}`,
      '{"@raw":1}',
      "",
    ].join("\n"),
  );
  assert.equal(
    recs.map((r) => [r.kind, r.raw, r.prefix, r.label]),
    [
      ["unparsed", "Traceback", "", "decode"],
      ["unparsed", "decode-1  | x\r", "decode-1  | ", "decode-1"],
      ["unparsed", Buffer.from([0x62, 0xff]), "", "s"],
      ["unparsed", '{"@raw":1}', "", "w"],
    ],
  );
});

test.run();
