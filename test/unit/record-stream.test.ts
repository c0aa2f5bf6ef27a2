import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MATCH, NeedleLines } from "../../src/input/needle-lines.js";
import { type LogRecord, type Source, serviceOf } from "../../src/model/record.js";
import { dormant, revive } from "../../src/parse/dormant-record.js";
import { RecordStream, readRangeRecords, readRecords } from "../../src/parse/record-stream.js";
import { scratchDir } from "../helpers/paths.js";

const SOURCE: Source = { index: 0, label: "stdin", path: "-", labelled: false };
const dir = scratchDir("reader");

const rec = (fields: string) => `{"time":"2025-11-04T09:11:47.000000Z","level":"INFO",${fields}}`;
const announce = (service: string) =>
  rec(`"target":"dynamo_runtime::logging","message":"OTLP export enabled","service":"${service}"`);
const span = (id: string) =>
  rec(`"target":"t","message":"SPAN_CLOSED","trace_id":"${id}","span_id":"00000000000000aa"`);

/** What a test compares: kind, label, service, message (or raw text), prefix. */
function view(records: LogRecord[]): string[] {
  return records.map((r) => {
    const text = r.kind === "unparsed" ? String(r.raw) : r.message;
    return `${r.kind}|${r.label}|${r.service}|${text}|${r.prefix}`;
  });
}

/** Reads `text` through a stream in chunks of `size` bytes. */
function read(text: string | Buffer, size: number, needles?: Buffer[], source = SOURCE) {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const stream = new RecordStream(source, needles === undefined ? {} : { needles });
  const out: LogRecord[] = [];
  for (let at = 0; at < bytes.length; at += size) {
    // A reused chunk, as the needle path reads in place: whatever is kept must be copied.
    const chunk = Buffer.from(bytes.subarray(at, Math.min(at + size, bytes.length)));
    stream.push(chunk);
    chunk.fill(0x7a);
    out.push(...stream.take());
  }
  stream.end();
  out.push(...stream.take());
  return out;
}

const SIZES = [1, 3, 17, 100, 1 << 20];

const TORN =
  '{"trace_id":"a4","time":"2025-11-04T09:11:47.000000Z","level":"INFO","target":"t","message":"torn"}';

const MIXED = [
  announce("frontend"),
  span("a1"),
  "frontend-1  | " + span("a2"),
  "plain line mentioning a3",
  // Torn after its trace id (a prefiltered read finds a torn record by its first piece).
  TORN.slice(0, TORN.indexOf('"level"')),
  TORN.slice(TORN.indexOf('"level"')),
  "0: " + span("a5"),
  announce("prefill"),
  span("a6"),
  "@@BAD@@ trace_id a8", // invalid bytes in `mixedBytes`
  `${span("a7")}\r`,
].join("\n");

function mixedBytes(): Buffer {
  const [before, after] = MIXED.split("@@BAD@@");
  return Buffer.concat([
    Buffer.from(before as string),
    Buffer.from([0xff, 0xc0]),
    Buffer.from(after as string),
  ]);
}

test("whatever the chunking, the same records; every line read when there is no prefilter", () => {
  const expected = view(read(MIXED, 1 << 20));
  for (const size of SIZES) assert.equal(view(read(MIXED, size)), expected, `chunks of ${size}`);
  assert.is(expected.length, 10, "the torn record is rejoined");
});

test("needle prefilter: only matching lines are parsed, and they read as in a full read", () => {
  const full = read(MIXED, 1 << 20);
  const needles = [Buffer.from('"trace_id":"a')];
  const wanted = view(full.filter((r) => r.traceId.startsWith("a") || r.service === r.label));
  for (const size of SIZES) {
    const got = read(MIXED, size, needles);
    assert.equal(
      view(got.filter((r) => r.traceId !== "")),
      view(full.filter((r) => r.traceId !== "")),
      `chunks of ${size}`,
    );
    assert.not.ok(
      got.some((r) => String(r.raw).includes("plain line")),
      "lines without a needle are skipped",
    );
    assert.ok(got.every((r) => r.lineNo === 0));
  }
  assert.ok(wanted.length > 0);
});

test("service announcements apply to the records after them, per label, anywhere in a stream", () => {
  const filler = `${rec('"target":"t","message":"filler"')}\n`.repeat(2000);
  const text = [
    announce("frontend"),
    span("b1"),
    filler + announce("prefill"),
    span("b2"),
    "decode-1 | " + announce("decode"),
    span("b3"),
    "decode-1 | " + span("b4"),
  ].join("\n");
  for (const needles of [undefined, [Buffer.from('"trace_id":"b')]]) {
    const spans = read(text, 4096, needles).filter((r) => r.traceId !== "");
    assert.equal(
      spans.map((r) => `${r.traceId}:${serviceOf(r)}`),
      ["b1:frontend", "b2:prefill", "b3:prefill", "b4:decode"],
      needles === undefined ? "full read" : "prefiltered read",
    );
  }
});

test("serviceOf: a user's label wins, then the announced service, then the label", () => {
  const labelled: Source = { index: 0, label: "mine", path: "x", labelled: true };
  const text = `${announce("frontend")}\n${span("c1")}`;
  const [, own] = read(text, 100, undefined, labelled) as LogRecord[];
  assert.is(own?.service, "frontend");
  assert.is(serviceOf(own as LogRecord), "mine");
  const [first] = read(span("c2"), 100);
  assert.is(serviceOf(first as LogRecord), "stdin");
});

test("a launcher prefix style is recognised after another style (0: after compose)", () => {
  const text = ["frontend-1  | " + span("d1"), "0: " + span("d2"), "0: traceback line"].join("\n");
  const records = read(text, 7);
  assert.equal(
    records.map((r) => `${r.kind}:${r.label}:${r.prefix}`),
    ["json:frontend-1:frontend-1  | ", "json:0:0: ", "unparsed:0:0: "],
  );
});

test("a torn line never swallows the complete record that follows it", () => {
  const readable = "2025-11-04T09:11:48.000000Z  INFO t: after the torn line";
  for (const next of [span("e2"), readable, `frontend-1 | ${span("e3")}`]) {
    const text = ['{"time":"2025-11-04T09:11:47.000000Z","level":"INF', next].join("\n");
    const records = read(text, 5);
    assert.equal(
      records.map((r) => r.kind),
      ["unparsed", next === readable ? "text" : "json"],
      next,
    );
  }
  // A tear inside the time value goes on with a quote: still rejoined.
  const whole = span("e4");
  const cut = whole.indexOf("09:11");
  const records = read(`${whole.slice(0, cut)}\n${whole.slice(cut)}`, 5);
  assert.equal(
    records.map((r) => `${r.kind}:${r.traceId}:${r.lineCount}`),
    ["json:e4:2"],
  );
});

test("invalid UTF-8 and CRLF: bytes kept, records parsed, on both paths", () => {
  const bytes = mixedBytes();
  const full = read(bytes, 9);
  const bad = full.find((r) => Buffer.isBuffer(r.raw));
  assert.ok(bad, "the invalid line is kept as bytes");
  const last = full[full.length - 1] as LogRecord;
  assert.is(last.traceId, "a7");
  assert.is(last.eol, "");
});

/** Everything a record says, for comparing two records. */
function whole(r: LogRecord): unknown {
  const { fieldCache: _f, logFieldCache: _l, ...said } = r as unknown as Record<string, unknown>;
  return { ...said, raw: String(r.raw), fields: r.fields, logFields: r.logFields };
}

test("a dormant record revives to the record the reader gave", () => {
  const python =
    '{"time":"2025-11-04T09:11:48.5Z","level":"WARN","target":"log","message":"say \\"hi\\"",' +
    '"log.file":"h.py","log.line":7,"log.target":"handlers","x_request_id":"r1","n":1.50}';
  const records = read(`${MIXED}\n${python}\n`, 17);
  let dormantOnes = 0;
  for (const rec of records) {
    const kept = dormant(rec);
    if (kept !== rec) dormantOnes++;
    assert.equal(whole(revive(kept)), whole(rec), String(rec.raw));
  }
  assert.ok(dormantOnes >= 8, `${dormantOnes} dormant`);
});

test("found lines handed over (as scan workers do) read as the lines found here", () => {
  const bytes = Buffer.from(MIXED);
  const needles = [Buffer.from('"trace_id":"a')];
  const here = read(bytes, 1 << 20, needles);
  const stream = new RecordStream(SOURCE, { needles });
  const lines = new NeedleLines([...needles, Buffer.from("OTLP export")], (b, s, e, kind) =>
    stream.pushFound(b.toString("utf8", s, e), kind),
  );
  lines.push(bytes);
  lines.finish();
  stream.end();
  assert.equal(view(stream.take()), view(here));
  assert.is(MATCH, 0);
});

test("byte ranges and whole files read through the same reader", async () => {
  const path = join(dir, "range.jsonl");
  writeFileSync(path, `${span("f1")}\n${span("f2")}\n${span("f3")}\n`);
  const start = span("f1").length + 1;
  const stream = new RecordStream({ ...SOURCE, path });
  const got: LogRecord[] = [];
  readRangeRecords(stream, path, start, start + span("f2").length + 1, () =>
    got.push(...stream.take()),
  );
  stream.end();
  got.push(...stream.take());
  assert.equal(
    got.map((r) => r.traceId),
    ["f2"],
  );
  const all: LogRecord[] = [];
  for await (const batch of readRecords({ ...SOURCE, path }, () => {})) all.push(...batch);
  assert.equal(
    all.map((r) => r.traceId),
    ["f1", "f2", "f3"],
  );
  const from: LogRecord[] = [];
  for await (const batch of readRecords({ ...SOURCE, path }, () => {}, { from: start })) {
    from.push(...batch);
  }
  assert.equal(
    from.map((r) => r.traceId),
    ["f2", "f3"],
  );
});

test.run();
