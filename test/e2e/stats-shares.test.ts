/**
 * `stats` on worker threads, each summarising a share of the traces, writes what one thread
 * writes. DYNLOG_THREADS forces the threads on small files; they are used where the inputs show
 * no span events at their start, or a filter reads every record of a trace. The hostile log puts
 * what a share must not skip wrongly in the way: torn records, tracebacks, a repeated or nested
 * `trace_id`, escaped and non-ASCII ids, launcher prefixes, invalid UTF-8.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import { scratchDir } from "../helpers/paths.js";
import { sample, ThreadedPlan } from "../helpers/range-edges.js";

const dir = scratchDir("shares");
const plan = new ThreadedPlan();

/** The bundled samples without their span events (Dynamo's default). */
const plain = ["frontend.jsonl", "prefill.jsonl", "decode.jsonl"].map((name) => {
  const path = join(dir, name);
  const lines = readFileSync(sample(name), "utf8").split("\n");
  writeFileSync(path, lines.filter((l) => !l.includes('"message":"SPAN_')).join("\n"));
  return path;
});

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

/**
 * Records in spans of 40 traces, without span events, with hostile lines among them; `pad`
 * characters more on each (fewer lines to a MiB).
 */
function hostileSpans(lines: number, pad = 0): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; i < lines; i++) {
    const trace = hex(i % 40, 32);
    // A line a share could skip wrongly is a span of its own: losing it changes the counts.
    const odd = i % 83 === 0 || i % 79 === 0 || i % 73 === 0 || i % 71 === 0;
    const span = odd ? hex(5000 + i, 16) : hex(i % 120, 16);
    const time = `2025-11-04T09:12:${String(i % 60).padStart(2, "0")}.${String(i).padStart(6, "0")}Z`;
    const ids = `"span_id":"${span}","span_name":"s${i % 3}","trace_id":"${trace}"`;
    const level = i % 7 === 0 ? "WARN" : "INFO";
    let line = `{"time":"${time}","level":"${level}","target":"t","message":"m ${i}","pad":"${"p".repeat(pad)}",${ids}}`;
    if (i % 97 === 0) line = `${line.slice(0, 50)}\n${line.slice(50)}`;
    if (i % 89 === 0) line += '\nTraceback (most recent call last):\n  File "x.py", line 1';
    if (i % 83 === 0)
      line = line.replace(
        `"trace_id":"${trace}"`,
        `"trace_id":"${hex(1, 32)}","trace_id":"${trace}"`,
      );
    if (i % 79 === 0)
      line = line.replace('"message"', `"ctx":{"trace_id":"${hex(2, 32)}"},"message"`);
    if (i % 73 === 0)
      line = line.replace(`"trace_id":"${trace}"`, `"trace_id":"\\u0030${trace.slice(1)}"`);
    if (i % 71 === 0) line = line.replace(`"trace_id":"${trace}"`, `"trace_id":"trace-é${i}"`);
    if (i % 67 === 0) line = `worker-1  | ${line}`;
    out.push(Buffer.from(`${line}\n`));
    if (i % 61 === 0) out.push(Buffer.from([0x62, 0xff, 0x7d, 0x0a]));
  }
  return Buffer.concat(out);
}
const hostile = join(dir, "hostile.log");
writeFileSync(hostile, hostileSpans(3000));

// Span events only past the first MiB, all of one trace: every share must see them to know the
// input has span events (until then each reads every line).
const late = join(dir, "late.log");
const event = (message: string, extra: string) =>
  `{"time":"2025-11-04T09:13:00.000000Z","level":"INFO","target":"t","message":"${message}","span_id":"${hex(7, 16)}","span_name":"late","trace_id":"${hex(7, 32)}"${extra}}`;
writeFileSync(
  late,
  Buffer.concat([
    hostileSpans(1500, 600),
    Buffer.from(
      `${event("SPAN_FIRST_ENTRY", "")}\n${event("SPAN_CLOSED", ',"time.busy_us":5,"time.duration_us":9,"time.idle_us":4')}\n`,
    ),
  ]),
);

plan.test(test, "statistics in shares, without span events and with a filter", [
  [["stats", ...plain], "three components without span events"],
  [["stats", "--format", "json", ...plain], "as JSON"],
  [
    [
      "stats",
      "--filter",
      "warn,[http-request]=trace",
      ...["frontend.jsonl", "decode.jsonl"].map(sample),
    ],
    "filtered, with span events",
  ],
  [["stats", hostile, ...plain], "hostile records, repeated, nested, escaped and non-ASCII ids"],
  [["stats", "--where", "level=INFO", hostile], "a where clause"],
  [["stats", late], "span events past the first MiB"],
]);
plan.test(test, "inputs whose start shows span events stay on one thread", [
  [["stats", ...["frontend.jsonl", "decode.jsonl"].map(sample)], "with span events", "one thread"],
]);

test.run();
