import { test } from "uvu";
import * as assert from "uvu/assert";
import { describeInput, labelFromPath } from "../../src/input/inputs.js";
import { LineSplitter } from "../../src/input/line-splitter.js";
import type { LogRecord, Source } from "../../src/model/record.js";
import { RecordReader } from "../../src/parse/record-reader.js";
import { mergeByTime } from "../../src/pipeline/merge.js";

function split(chunks: (string | Buffer)[], holdLimit?: number): [string | Buffer, string][] {
  const lines: [string | Buffer, string][] = [];
  const splitter = new LineSplitter((line, eol) => lines.push([line, eol]), holdLimit);
  for (const c of chunks) splitter.push(typeof c === "string" ? Buffer.from(c) : c);
  splitter.end();
  return lines;
}

test("lines across chunk boundaries, CRLF, lone CR, no final newline", () => {
  assert.equal(split(["a\r", "\nb", "c\n", "\rd\re\n", "", "last"]), [
    ["a", "\r\n"],
    ["bc", "\n"],
    ["\rd\re", "\n"],
    ["last", ""],
  ]);
});

test("a multi-byte character split between chunks is decoded whole", () => {
  const bytes = Buffer.from("é→🦀\n");
  const pieces = [...bytes].map((b) => Buffer.from([b]));
  assert.equal(split(pieces), [["é→🦀", "\n"]]);
});

test("invalid UTF-8 lines come out as the original bytes", () => {
  const bad = Buffer.from([0x61, 0xff, 0xc0, 0x80, 0x62]);
  const lines = split([Buffer.concat([Buffer.from("ok\n"), bad, Buffer.from("\nfine\n")])]);
  assert.equal(lines[0], ["ok", "\n"]);
  assert.ok(Buffer.isBuffer(lines[1]?.[0]));
  assert.ok((lines[1] as [Buffer, string])[0].equals(bad));
  assert.equal(lines[2], ["fine", "\n"]);
});

test("any chunking of lines long and short, ASCII or not, valid or not, gives the same lines", () => {
  let seed = 11;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor(seed / 65536) % n;
  };
  const kinds = [
    () => Buffer.from("a".repeat(next(200))),
    () => Buffer.from("é→🦀".repeat(next(50))),
    () => Buffer.from("b".repeat(60_000 + next(70_000))),
    () => Buffer.from([0x61, 0xff, 0x62]),
  ];
  const lines = Array.from({ length: 120 }, () => (kinds[next(kinds.length)] as () => Buffer)());
  const eols = lines.map(() => (next(5) === 0 ? "\r\n" : "\n"));
  const whole = Buffer.concat(lines.flatMap((l, i) => [l, Buffer.from(eols[i] as string)]));
  const expected = lines.map((l, i) => [l.toString("latin1"), eols[i]]);
  for (const size of [7, 4096, 65_536, 1 << 20, whole.length]) {
    const chunks: Buffer[] = [];
    for (let at = 0; at < whole.length; at += size) chunks.push(whole.subarray(at, at + size));
    const got = split(chunks).map(([l, eol]) => [
      typeof l === "string" ? Buffer.from(l).toString("latin1") : l.toString("latin1"),
      eol,
    ]);
    assert.equal(got, expected, `chunks of ${size} bytes`);
  }
});

test("an over-long line is released in pieces that add up to its bytes", () => {
  const lines = split(["x".repeat(10), "y".repeat(10), "z\nw\n"], 16);
  const joined = lines.map(([l]) => l.toString()).join("|");
  assert.is(joined, `${"x".repeat(10)}${"y".repeat(10)}|z|w`);
  assert.equal(
    lines.map(([, eol]) => eol),
    ["", "\n", "\n"],
  );
});

const SOURCE: Source = { index: 0, label: "prefill", path: "prefill.jsonl", labelled: false };

function records(text: string, source = SOURCE): LogRecord[] {
  const reader = new RecordReader(source);
  const splitter = new LineSplitter(reader.pushLine);
  splitter.push(Buffer.from(text));
  splitter.end();
  reader.end();
  return reader.take();
}

test("a record torn across lines is rejoined; garbage stays as separate lines", () => {
  const full =
    '{"time":"2025-01-01T00:00:01Z","level":"INFO","target":"t","message":"torn record"}';
  const text = `${full.slice(0, 30)}\n${full.slice(30, 60)}\n${full.slice(60)}\n{"time":"2025-01-01T00:00:02Z","level":"INFO","message":"next"}\n`;
  const recs = records(text);
  assert.equal(
    recs.map((r) => [r.kind, r.lineNo, r.lineCount]),
    [
      ["json", 1, 3],
      ["json", 4, 1],
    ],
  );
  assert.is(recs[0]?.message, "torn record");
  const garbage = records('{"not json\n{"level":"INFO","message":"m"}\nplain\n');
  assert.equal(
    garbage.map((r) => [r.kind, r.lineNo]),
    [
      ["unparsed", 1],
      ["json", 2],
      ["unparsed", 3],
    ],
  );
  assert.equal(
    garbage.map((r) => r.raw),
    ['{"not json', '{"level":"INFO","message":"m"}', "plain"],
  );
});

test("prefixes name the source; a BOM does not hide the first record", () => {
  const recs = records(
    '\ufeff{"level":"INFO","message":"first"}\nfrontend-1  | {"level":"INFO","message":"m"}\ndecode-1    | Traceback (most recent call last):\n',
  );
  assert.equal(
    recs.map((r) => [r.kind, r.label, r.prefix]),
    [
      ["json", "prefill", ""],
      ["json", "frontend-1", "frontend-1  | "],
      ["unparsed", "decode-1", "decode-1    | "],
    ],
  );
  const named = records('0: {"level":"INFO","message":"m"}\n', {
    ...SOURCE,
    label: "fe",
    labelled: true,
  });
  assert.is(named[0]?.label, "fe", "an explicit label= beats the launcher prefix");
});

test("records without a time are ordered with the record before them", () => {
  const recs = records(
    'before\n{"time":"2025-01-01T00:00:05Z","level":"INFO","message":"a"}\ntraceback\n',
  );
  assert.equal(
    recs.map((r) => r.orderUs),
    [
      Number.NEGATIVE_INFINITY,
      Date.UTC(2025, 0, 1, 0, 0, 5) * 1000,
      Date.UTC(2025, 0, 1, 0, 0, 5) * 1000,
    ],
  );
});

test("input names: label=path, extensions, stdin", () => {
  assert.is(labelFromPath("/logs/frontend.jsonl"), "frontend");
  assert.is(labelFromPath("decode.log.gz"), "decode");
  assert.is(labelFromPath("worker.0.out"), "worker.0");
  assert.equal(describeInput("fe=/tmp/x.log", 1), {
    index: 1,
    label: "fe",
    path: "/tmp/x.log",
    labelled: true,
  });
  assert.equal(describeInput("-", 0), { index: 0, label: "stdin", path: "-", labelled: false });
});

async function* batches(list: LogRecord[][]): AsyncGenerator<LogRecord[]> {
  for (const b of list) yield b;
}

test("merge by time keeps each input's order and carries unparsed followers", async () => {
  const a = records(
    '{"time":"2025-01-01T00:00:01Z","level":"ERROR","message":"a1"}\ntrace a\n{"time":"2025-01-01T00:00:04Z","level":"INFO","message":"a4"}\n',
  );
  const b = records(
    '{"time":"2025-01-01T00:00:01Z","level":"INFO","message":"b1"}\n{"time":"2025-01-01T00:00:02Z","level":"INFO","message":"b2"}\n{"time":"2025-01-01T00:00:09Z","level":"INFO","message":"b9"}\n',
    { ...SOURCE, index: 1 },
  );
  const out: string[] = [];
  for await (const batch of mergeByTime([
    batches([a.slice(0, 2), a.slice(2)]),
    batches([b.slice(0, 1), [], b.slice(1)]),
  ])) {
    for (const r of batch) out.push(r.kind === "json" ? r.message : String(r.raw));
  }
  assert.equal(out, ["a1", "trace a", "b1", "b2", "a4", "b9"]);
});

test.run();
