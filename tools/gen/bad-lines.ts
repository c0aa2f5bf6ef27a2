// Bad-input corpus, part 1: what a crashing or misconfigured system does to lines (truncation,
// tearing, foreign text, blank and white-space lines, line endings, encodings, NUL bytes, JSON
// that is not a record object). Each case is one file of fixtures/bad/; `about` goes to its
// README. Content is fixed (no randomness), so the files are byte-identical on every run.

export interface BadCase {
  readonly name: string;
  readonly about: string;
  readonly content: Buffer;
}

const T = "2025-11-04T09:12:04";
const TRACE = "7c1e5f0a9b2d4c6e8f0a1b2c3d4e5f60";

/** A well-formed Dynamo JSONL record at second `s` (fields appended raw, already JSON). */
export function good(s: number, message: string, extra = ""): string {
  const time = `${T.slice(0, -2)}${String(4 + s).padStart(2, "0")}.${String(100000 + s).slice(1)}0Z`;
  return (
    `{"time":"${time}","level":"INFO","file":"lib/runtime/src/worker.rs","line":${100 + s},` +
    `"target":"dynamo_runtime::worker","message":${JSON.stringify(message)}${extra}}`
  );
}

/** Lines joined with `eol`, ending with one. */
export function lines(list: readonly (string | Buffer)[], eol = "\n"): Buffer {
  const parts: Buffer[] = [];
  for (const l of list) parts.push(Buffer.from(l), Buffer.from(eol));
  return Buffer.concat(parts);
}

const bytes = (...b: number[]): Buffer => Buffer.from(b);

export const LINE_CASES: BadCase[] = [
  {
    name: "truncated-json.jsonl",
    about:
      "records cut short: mid-key, mid-string, a missing closing brace, a cut `\\u` escape, and a last line cut without a newline. Each must pass through unchanged; `validate` reports each as invalid JSON.",
    content: Buffer.concat([
      lines([
        good(0, "before"),
        `{"time":"${T}.100000Z","level":"INFO","target":"a","mess`,
        good(1, "between"),
        `{"time":"${T}.200000Z","level":"WARN","target":"a","message":"cut in a str`,
        `{"time":"${T}.300000Z","level":"WARN","target":"a","message":"x","n":12`,
        `{"time":"${T}.400000Z","level":"ERROR","target":"a","message":"esc \\u00`,
        good(2, "after"),
      ]),
      Buffer.from(`{"time":"${T}.5`),
    ]),
  },
  {
    name: "torn-records.jsonl",
    about:
      "records torn across physical lines: in 2 pieces, in 3 pieces, with CRLF pieces, a tear never completed (a traceback arrives instead), a tear of 70 pieces (over the 64-piece bound: its pieces stay separate lines), and a tear left open at the end of the file.",
    content: lines([
      good(0, "before"),
      `{"time":"${T}.100000Z","level":"INFO","target":"a","message":"first half`,
      ` second half","k":1}`,
      `{"time":"${T}.200000Z","level":"INFO",`,
      `"target":"a","message":"three`,
      ` pieces"}`,
      `{"time":"${T}.300000Z","level":"INFO","target":"a","message":"crlf\r`,
      ` torn"}\r`,
      `{"time":"${T}.400000Z","level":"ERROR","target":"a","message":"never`,
      "Traceback (most recent call last):",
      '  File "worker.py", line 1, in <module>',
      good(1, "between"),
      `{"time":"${T}.500000Z","level":"INFO","target":"a","message":"`,
      ...Array.from({ length: 68 }, (_, i) => `piece ${i}`),
      `end"}`,
      good(2, "after"),
      `{"time":"${T}.600000Z","level":"INFO","target":"a","message":"open at the end`,
    ]),
  },
  {
    name: "non-json-between.jsonl",
    about:
      "foreign lines between records: a Python traceback, prints, a progress bar redrawn with CR, a lone `{` and `}`, `{not json`, text that starts like JSON, an ANSI-coloured print. All pass through unchanged and stay after the record before them.",
    content: lines([
      good(0, "loading"),
      "Loading checkpoint shards:  50% Completed | 1/2 [00:01<00:01,  1.02s/it]\rLoading checkpoint shards: 100% Completed | 2/2 [00:02<00:00,  1.01s/it]",
      "{",
      '  "pretty": "printed JSON"',
      "}",
      "{not json at all",
      good(1, "error follows", ',"level2":"x"'),
      "Traceback (most recent call last):",
      '  File "/opt/dynamo/worker.py", line 42, in generate',
      "    raise RuntimeError('boom')",
      "RuntimeError: boom",
      "\x1b[32mINFO\x1b[0m vllm: print from a library",
      "[1, 2, 3]",
      good(2, "after"),
    ]),
  },
  {
    name: "empty-lines.jsonl",
    about:
      "empty lines at the start, between records, several in a row, and three at the end of the file. Every one is kept.",
    content: lines(["", "", good(0, "a"), "", good(1, "b"), "", "", "", good(2, "c"), "", "", ""]),
  },
  {
    name: "whitespace-lines.jsonl",
    about:
      "lines of spaces, tabs, vertical tab, form feed and no-break spaces; a record indented with spaces (not read as a record: dynlog reads objects at the start of a line); a record followed by trailing spaces and a tab.",
    content: lines([
      "   ",
      "\t\t",
      "\x0b\x0c",
      "\u00a0\u00a0",
      good(0, "a"),
      `   ${good(1, "indented")}`,
      `${good(2, "trailing")}  \t`,
      " ",
    ]),
  },
  {
    name: "crlf.jsonl",
    about:
      "line endings: CRLF records, LF records, a lone CR inside a line (a progress bar), a record followed by a lone CR and more text on the same line, a CR-only line, and a last line ending in CR without LF.",
    content: Buffer.concat([
      lines([good(0, "crlf one"), good(1, "crlf two")], "\r\n"),
      lines([
        good(2, "lf"),
        "progress 10%\rprogress 20%\rprogress 30%",
        `${good(3, "cr inside")}\rtrailing text`,
        "\r",
      ]),
      Buffer.from(`${good(4, "cr at end")}\r`),
    ]),
  },
  {
    name: "invalid-utf8.jsonl",
    about:
      "bytes that are not UTF-8: 0xff inside a record's message, an overlong `/` (C0 AF) and an overlong 3-byte sequence (E0 80 AF), an encoded surrogate (ED A0 80), an old 5-byte form, a multi-byte sequence cut at the end of a line, Latin-1 text, a raw 0x9b (CSI for 8-bit terminals). Bytes pass through unchanged to a pipe; shown as `\\xNN` on a terminal.",
    content: lines([
      Buffer.from(good(0, "bad \xff byte"), "latin1"),
      Buffer.concat([Buffer.from("overlong slash "), bytes(0xc0, 0xaf), Buffer.from(" end")]),
      Buffer.concat([Buffer.from("overlong 3-byte "), bytes(0xe0, 0x80, 0xaf)]),
      Buffer.concat([Buffer.from("surrogate "), bytes(0xed, 0xa0, 0x80)]),
      Buffer.concat([Buffer.from("five-byte "), bytes(0xf8, 0x88, 0x80, 0x80, 0x80)]),
      Buffer.concat([Buffer.from("cut euro "), bytes(0xe2, 0x82)]),
      Buffer.from("caf\xe9 cr\xe8me (latin-1)", "latin1"),
      Buffer.concat([Buffer.from("csi byte "), bytes(0x9b), Buffer.from("2J")]),
      Buffer.from(good(1, "\xc0\xaf overlong in a record"), "latin1"),
      good(2, "valid after"),
    ]),
  },
  {
    name: "nul-bytes.jsonl",
    about:
      "NUL bytes: a raw NUL inside a record's string (invalid JSON), an escaped `\\u0000` (valid), a line of NULs, and a block of NULs with no newline before the next record (what a file system leaves after a crash).",
    content: Buffer.concat([
      lines([
        good(0, "a@b").replace("@", "\0"),
        good(1, "escaped \u0000 nul"),
        "\0\0\0\0\0\0\0\0",
        good(2, "before the hole"),
      ]),
      Buffer.alloc(4096),
      lines([good(3, "after the hole"), good(4, "last")]),
    ]),
  },
  {
    name: "bom.jsonl",
    about:
      "a UTF-8 byte-order mark before the first record (ignored), and another at the start of a later line (from `cat` of two files: that line passes through unchanged).",
    content: lines([`\ufeff${good(0, "first")}`, good(1, "second"), `\ufeff${good(2, "catted")}`]),
  },
  {
    name: "utf16.jsonl",
    about:
      "a log written as UTF-16LE with a BOM (a Windows redirect): nothing in it is a record; every byte passes through.",
    content: Buffer.concat([bytes(0xff, 0xfe), Buffer.from(`${good(0, "wide")}\n`, "utf16le")]),
  },
  {
    name: "not-objects.jsonl",
    about:
      "JSON that is not a record: arrays, numbers, strings, null, true, `{}`, an object without `level` or `message`, a record wrapped in an array. Not records: they pass through.",
    content: lines([
      "[]",
      "[1,2]",
      "42",
      "-0.5e3",
      '"a string"',
      "null",
      "true",
      "{}",
      '{"a":1,"b":[1,2,{"c":null}]}',
      `[${good(0, "in an array")}]`,
      good(1, "a real one"),
    ]),
  },
  {
    name: "empty.jsonl",
    about: "an empty file (0 bytes).",
    content: Buffer.alloc(0),
  },
  {
    name: "deep-small.jsonl",
    about:
      "moderately deep JSON (2 000 levels) in a record's field and as a raw line: read without recursion. The 100 000-level case is generated at test time (test/helpers/bad-inputs.ts).",
    content: lines([
      good(0, "deep", `,"deep":${"[".repeat(2000)}${"]".repeat(2000)}`),
      `${"{".repeat(2000)}`,
      good(1, "after", `,"trace_id":"${TRACE}"`),
    ]),
  },
];
