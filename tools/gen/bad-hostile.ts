// Bad-input corpus, part 3: data that tries to drive the user's terminal (OSC 52 clipboard
// writes, OSC 8 links, cursor movement, window titles, bare CR, backspace, C1 CSI, DEL) in every
// place a record can carry text, in raw lines, readable-layout lines and launcher prefixes; and
// gzip inputs that are truncated or corrupt. Fixed content, one file each.
import { gzipSync } from "node:zlib";
import { type BadCase, good, lines } from "./bad-lines.js";
import { spanEvent } from "./bad-records.js";

export const OSC52 = "\x1b]52;c;cHduZWQ=\x07";
export const OSC8 = "\x1b]8;;https://evil.example/\x07click me\x1b]8;;\x07";
export const CLEAR = "\x1b[2J\x1b[H";
export const TITLE = "\x1b]0;pwned\x07";
/** Every trick at once: what a line of log data must never do to a terminal. */
export const HOSTILE = `${OSC52}${OSC8}${CLEAR}${TITLE}bare\rCR back\b\b\u009b2J\x7f`;

/** The trace of the hostile records: `dynlog trace 0badc0de` finds it. */
export const HOSTILE_TRACE = "0badc0de00000000000000000000000a";
const ROOT = "00000000000000a1";
const CHILD = "00000000000000a2";
const q = JSON.stringify;

function hostileRecords(): string[] {
  const t = (s: string) => `2025-11-04T09:14:${s}Z`;
  return [
    `{"time":"${t("00.000000")}","level":"INFO","file":"a.rs","line":1,"target":"dynamo_runtime::logging","message":"OTLP export enabled","service":${q(`front${HOSTILE}end`)}}`,
    `{"time":"${t("01.000000")}","level":"DEBUG","file":"a.rs","line":2,"target":${q(`evil${TITLE}::x`)},"message":"SPAN_CREATED",${q(`k${CLEAR}`)}:1,"method":${q(`POST${CLEAR}`)},"span_id":"${ROOT}","span_name":${q(`http-request${TITLE}`)},"trace_id":"${HOSTILE_TRACE}","uri":${q(`/v1${OSC8}`)},"x_request_id":${q(`req${OSC52}`)}}`,
    `{"time":"${t("01.500000")}","level":"WARN","file":"a.rs","line":3,"target":"dynamo_llm::http","message":${q(`message ${HOSTILE}\nsecond line\r\n third`)},"field":${q(HOSTILE)},${q(`key${OSC52}`)}:${q(OSC8)},"span_id":"${ROOT}","span_name":${q(`http-request${TITLE}`)},"trace_id":"${HOSTILE_TRACE}"}`,
    `{"time":"${t("02.000000")}","level":"DEBUG","file":"a.rs","line":4,"target":"w","message":"SPAN_CLOSED","parent_id":"${ROOT}","span_id":"${CHILD}","span_name":${q(`child${HOSTILE}`)},"time.busy_us":10,"time.duration_us":500000,"time.idle_us":499990,"trace_id":"${HOSTILE_TRACE}"}`,
    `{"time":"${t("03.000000")}","level":"DEBUG","file":"a.rs","line":5,"target":${q(`evil${TITLE}::x`)},"message":"SPAN_CLOSED","span_id":"${ROOT}","span_name":${q(`http-request${TITLE}`)},"time.busy_us":10,"time.duration_us":2000000,"time.idle_us":1999990,"trace_id":"${HOSTILE_TRACE}"}`,
    `{"time":${q(`${t("04.000000")}${TITLE}`)},"level":${q(`INFO${CLEAR}`)},"file":${q(`f${OSC52}.rs`)},"line":6,"target":"t","message":"hostile time and level"}`,
    `{"time":"${t("05.000000")}","level":"ERROR","file":"a.rs","line":7,"target":"t","message":"SPAN_CLOSED","parent_id":${q(`\x1b]0;p\x07xxxxxxxx`)},"span_id":"00000000000000a3","span_name":"orphan","time.busy_us":1,"time.duration_us":2,"time.idle_us":1,"trace_id":"${HOSTILE_TRACE}"}`,
    `{"time":"${t("06.000000")}","level":"DEBUG","file":"a.rs","line":8,"target":"t","message":"SPAN_CLOSED","span_id":"00000000000000b1","span_name":${q(`other${OSC52}`)},"time.busy_us":1,"time.duration_us":2,"time.idle_us":1,"trace_id":${q(`0badc0df${TITLE}`)}}`,
  ];
}

function gzipOf(text: string): Buffer {
  return gzipSync(Buffer.from(text), { level: 9 });
}

const GZIP_TEXT = lines(
  Array.from({ length: 200 }, (_, i) => good(i % 50, `gzip ${i}`)),
).toString();

export const HOSTILE_CASES: BadCase[] = [
  {
    name: "hostile-terminal.jsonl",
    about: `terminal escape sequences in every place a record carries text: message (OSC 52 clipboard write, OSC 8 link, clear screen and cursor home, window title, bare CR, backspace, C1 CSI, DEL), field values and names, span names, targets, method/uri/x_request_id, the announced service name, time, level, file, a parent id and a trace id; then raw lines carrying the same bytes unescaped, and an object with a raw ESC (invalid JSON). Views and terminal output show them escaped (\`\\x1b]52;…\`); \`--raw\` and pipes let them through. Its trace is ${HOSTILE_TRACE}; trace \`0badc0df…\` has a hostile id; the prefix \`0badc0d\` matches both.`,
    content: lines([
      ...hostileRecords(),
      `Traceback with ${HOSTILE} inside`,
      OSC52,
      `${OSC8}${TITLE}`,
      `{"time":"2025-11-04T09:14:07.000000Z","level":"INFO","target":"t","message":"raw ${CLEAR} esc"}`,
    ]),
  },
  {
    name: "hostile-readable.log",
    about:
      "readable-layout lines (Dynamo's text mode) carrying escape sequences: in the message, a field value, the target, a span name; bare CR and backspace survive colour stripping and are shown escaped on a terminal.",
    content: lines([
      `2025-11-04T09:14:00.000000Z  INFO dynamo_runtime::x: hello ${HOSTILE} k=1`,
      `2025-11-04T09:14:01.000000Z  WARN span\rname: dynamo_runtime::y: msg\b\b k="v${TITLE}"`,
      `2025-11-04T09:14:02.000000Z ERROR evil${TITLE}::x: ${OSC52}`,
      `\x1b[2m2025-11-04T09:14:03.000000Z\x1b[0m \x1b[32m INFO\x1b[0m \x1b[1mt\x1b[0m\x1b[2m:\x1b[0m coloured${CLEAR}`,
    ]),
  },
  {
    name: "hostile-prefix.log",
    about:
      "a `kubectl logs --prefix` launcher prefix whose pod name carries clear-screen and cursor-home sequences: it becomes the source label shown by views (escaped) and stays in front of its line in `convert` (escaped on a terminal).",
    content: lines([
      `[pod/evil${CLEAR}/main] ${good(0, "prefixed")}`,
      `[pod/evil${CLEAR}/main] ${spanEvent("01.000000", "SPAN_CLOSED", "c0c0c0c0c0c0c0c0", "", '"time.busy_us":1,"time.duration_us":2,"time.idle_us":1,')}`,
      `[pod/evil${CLEAR}/main] a print with ${TITLE}`,
    ]),
  },
  {
    name: "gzip-truncated.jsonl.gz",
    about:
      "a gzip file cut in the middle: what was decompressed is shown, then `dynlog: <path>: gzip: unexpected end of file`, exit status 1.",
    content: gzipOf(GZIP_TEXT).subarray(0, 600),
  },
  {
    name: "gzip-corrupt.jsonl.gz",
    about:
      "gzip magic bytes followed by garbage: reported as a gzip error for that input (exit status 1), other inputs still processed.",
    content: Buffer.concat([
      Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3]),
      Buffer.from("this is not deflate data ".repeat(20)),
    ]),
  },
  {
    name: "gzip-bad-crc.jsonl.gz",
    about:
      "a complete gzip stream whose trailer checksum is wrong: all the data comes out, then the error is reported (exit status 1).",
    content: (() => {
      const gz = Buffer.from(gzipOf(GZIP_TEXT));
      gz[gz.length - 8] = (gz[gz.length - 8] as number) ^ 0xff;
      return gz;
    })(),
  },
  {
    name: "gzip-trailing-garbage.jsonl.gz",
    about:
      "a good gzip stream followed by bytes that are not gzip: the data is read, the rest ignored.",
    content: Buffer.concat([gzipOf(GZIP_TEXT), Buffer.from("trailing garbage\n")]),
  },
];
