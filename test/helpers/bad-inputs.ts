/**
 * Big and special bad inputs, made at test time instead of committed (they would weigh hundreds
 * of megabytes): a line past the 16 MiB parse limit (up to which a line is held whole), JSON
 * nested 100 000 levels deep, a trace of 20 000 spans in one parent chain, a span with 10 000 children, 20 000 one-span traces
 * (a table of 20 000 rows), 5 000 launcher-prefixed sources in one trace, a torn record past the
 * 1 MiB join bound, records of 20 000 keys, one span id used 5 000 times, a directory and a FIFO.
 * Generation is deterministic and takes a few seconds.
 *
 * The sizes are what each case needs, no more: a chain twice as deep as recursion could
 * follow on V8's default stack (about 10 000 frames); the other counts are far past what any
 * fixed-size buffer, table or prefix cache in dynlog holds.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PARSE_LIMIT } from "../../src/input/parse-limit.js";

export interface BigInput {
  /** Name shown in test titles. */
  name: string;
  /** Path to give dynlog. */
  path: string;
  /** A FIFO: each run makes its own (`makeFifo(path, n)`) and feeds it `fifoSource`. */
  fifoSource?: string;
  /** An id for `trace`. */
  traceId: string;
  /** Lines (1-based) that must come out of `convert` byte for byte besides the plain ones. */
  verbatim?: number[];
  /** The commands (labels of bad-input-commands.ts) run over it; all when absent. */
  only?: string[];
}

const BASE_US = Date.UTC(2025, 10, 4, 9, 12, 0) * 1000;
const MIB = 1024 * 1024;

/** RFC 3339 with microseconds, as Dynamo writes it. */
function timeOf(us: number): string {
  const second = Math.floor(us / 1e6);
  const iso = new Date(second * 1000).toISOString().slice(0, 19);
  return `${iso}.${String(us - second * 1e6).padStart(6, "0")}Z`;
}

function spanId(i: number): string {
  return i.toString(16).padStart(16, "0");
}

/** A SPAN_CLOSED record (the opening is not needed: start = close - duration). */
function closeRecord(trace: string, id: string, parent: string, closeUs: number, durUs: number) {
  const p = parent === "" ? "" : `"parent_id":"${parent}",`;
  return (
    `{"time":"${timeOf(closeUs)}","level":"DEBUG","target":"t","message":"SPAN_CLOSED",${p}` +
    `"span_id":"${id}","span_name":"s","time.busy_us":${durUs},"time.duration_us":${durUs},` +
    `"time.idle_us":0,"trace_id":"${trace}"}`
  );
}

function record(us: number, message: string, extra = ""): string {
  return `{"time":"${timeOf(us)}","level":"INFO","target":"t","message":"${message}"${extra}}`;
}

/** A record whose message is `bytes` long, between two short records and a 1 MiB plain line. */
function longLine(path: string, bytes: number): void {
  const head = Buffer.from(`{"time":"${timeOf(BASE_US)}","level":"INFO","message":"`);
  const body = Buffer.alloc(bytes, 0x78);
  const plain = Buffer.alloc(MIB, 0x79);
  writeFileSync(
    path,
    Buffer.concat([
      Buffer.from(`${record(BASE_US, "before")}\n`),
      head,
      body,
      Buffer.from('"}\n'),
      plain,
      Buffer.from(`\n${record(BASE_US + 1, "after")}\n`),
    ]),
  );
}

function deepNesting(path: string): void {
  const n = 100_000;
  const arrays = `${"[".repeat(n)}${"]".repeat(n)}`;
  const objects = `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;
  writeFileSync(
    path,
    [
      record(BASE_US, "deep array", `,"deep":${arrays}`),
      record(BASE_US + 1, "deep object", `,"deep":${objects}`),
      "[".repeat(n),
      `{"level":"INFO","message":"unclosed","deep":${"[".repeat(n)}`,
      record(BASE_US + 2, "after"),
      "",
    ].join("\n"),
  );
}

/**
 * 15 000 spans, each the parent of the next, deepest closing first: deeper than the about 11 400
 * levels of the simplest recursion a main thread's stack holds.
 */
function chain(path: string, trace: string): void {
  const n = 15_000;
  const lines: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    lines.push(
      closeRecord(trace, spanId(i + 1), i === 0 ? "" : spanId(i), BASE_US + 2 * n - i, 2 * (n - i)),
    );
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
}

/** One root with 10 000 children. */
function wide(path: string, trace: string): void {
  const n = 10_000;
  const root = spanId(1);
  const lines = [
    `{"time":"${timeOf(BASE_US)}","level":"DEBUG","target":"t","message":"SPAN_CREATED","span_id":"${root}","span_name":"root","trace_id":"${trace}"}`,
  ];
  for (let i = 0; i < n; i++)
    lines.push(closeRecord(trace, spanId(i + 2), root, BASE_US + 10 + i, 5));
  lines.push(closeRecord(trace, root, "", BASE_US + n + 100, n + 100));
  writeFileSync(path, `${lines.join("\n")}\n`);
}

/**
 * 12 000 traces of one span each: more rows than a list is likely ever shown, and, at three
 * problems a record, past the 10 000 problems `validate` lists.
 */
function manyTraces(path: string): void {
  const lines: string[] = [];
  for (let i = 0; i < 12_000; i++) {
    const trace = (i + 1).toString(16).padStart(32, "0");
    lines.push(closeRecord(trace, spanId(i + 1), "", BASE_US + i * 10, 5));
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
}

/** 5 000 `kubectl --prefix` sources, one span each, all in one trace. */
function manySources(path: string, trace: string): void {
  const lines: string[] = [];
  for (let i = 0; i < 5_000; i++) {
    lines.push(`[pod/p${i}/main] ${closeRecord(trace, spanId(i + 1), "", BASE_US + i, 3)}`);
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
}

/** Records with 20 000 keys: all different, then all the same. */
function manyKeys(path: string): void {
  const distinct = Array.from({ length: 20_000 }, (_, i) => `"k${i}":${i}`).join(",");
  const same = Array.from({ length: 20_000 }, (_, i) => `"k":${i}`).join(",");
  writeFileSync(
    path,
    `${record(BASE_US, "distinct", `,${distinct}`)}\n${record(BASE_US + 1, "same", `,${same}`)}\n`,
  );
}

/** 5 000 spans of one trace sharing one span id, each naming that id as its parent. */
function sameId(path: string, trace: string): void {
  const lines: string[] = [];
  const id = spanId(7);
  for (let i = 0; i < 5_000; i++) lines.push(closeRecord(trace, id, id, BASE_US + 10 * i + 5, 5));
  writeFileSync(path, `${lines.join("\n")}\n`);
}

/** A torn record whose pieces pass the 1 MiB join bound, and lines after it. */
function tornHuge(path: string): void {
  const piece = "z".repeat(1000);
  const lines = [`{"time":"${timeOf(BASE_US)}","level":"INFO","message":"`];
  for (let i = 0; i < 60; i++) lines.push(piece.repeat(20));
  lines.push('end"}', record(BASE_US + 1, "after"));
  writeFileSync(path, `${lines.join("\n")}\n`);
}

/**
 * Writes the big inputs about lines (their length, nesting, keys, torn pieces) and the special
 * files into `dir`; returns them in a stable order.
 */
export function makeLineInputs(dir: string, fifoSource: string): BigInput[] {
  mkdirSync(dir, { recursive: true });
  const at = (name: string) => join(dir, name);
  longLine(at("long-line.jsonl"), PARSE_LIMIT + 64 * 1024);
  deepNesting(at("deep-nesting.jsonl"));
  tornHuge(at("torn-huge.jsonl"));
  manyKeys(at("many-keys.jsonl"));
  mkdirSync(at("a-directory"), { recursive: true });
  return [
    {
      // Past the parse limit, which is also what a line is held whole up to: the line is released
      // in pieces, and its bytes must still come out whole, as one line.
      name: "long-line.jsonl (a line past the 16 MiB parse and hold limit)",
      path: at("long-line.jsonl"),
      traceId: "deadbeefcafe",
      verbatim: [2],
    },
    {
      name: "deep-nesting.jsonl (100 000 levels)",
      path: at("deep-nesting.jsonl"),
      traceId: "deadbeefcafe",
    },
    {
      name: "torn-huge.jsonl (over the join bound)",
      path: at("torn-huge.jsonl"),
      traceId: "deadbeefcafe",
    },
    {
      name: "many-keys.jsonl (20 000 keys a record)",
      path: at("many-keys.jsonl"),
      traceId: "deadbeefcafe",
    },
    { name: "a directory", path: at("a-directory"), traceId: "deadbeefcafe" },
    { name: "a FIFO", path: at("fifo"), traceId: "deadbeefcafe", fifoSource },
  ];
}

/**
 * The big inputs about spans and traces, in two halves that run as suites of their own (each
 * takes seconds): `deep`, one trace of many spans; `wide`, many traces, sources or repeats.
 */
const SPAN_INPUTS: Record<
  "deep" | "wide",
  { file: string; name: string; traceId: string; make(path: string): void }[]
> = {
  deep: [
    {
      file: "trace-chain.jsonl",
      name: "trace-chain.jsonl (15 000-span chain)",
      traceId: "c4a1c4a1",
      make: (path) => chain(path, "c4a1c4a1c4a1c4a1c4a1c4a1c4a1c4a1"),
    },
    {
      file: "span-children.jsonl",
      name: "span-children.jsonl (10 000 children)",
      traceId: "3e1d3e1d3e1d3e1d3e1d3e1d3e1d3e1d",
      make: (path) => wide(path, "3e1d3e1d3e1d3e1d3e1d3e1d3e1d3e1d"),
    },
  ],
  wide: [
    {
      file: "many-traces.jsonl",
      name: "many-traces.jsonl (12 000 traces)",
      traceId: (10_001).toString(16).padStart(32, "0"),
      make: manyTraces,
    },
    {
      file: "many-sources.log",
      name: "many-sources.log (5 000 prefixes)",
      traceId: "50a250a250",
      make: (path) => manySources(path, "50a250a250a250a250a250a250a250a2"),
    },
    {
      file: "same-id.jsonl",
      name: "same-id.jsonl (one span id 5 000 times)",
      traceId: "5a3e5a3e",
      make: (path) => sameId(path, "5a3e5a3e5a3e5a3e5a3e5a3e5a3e5a3e"),
    },
  ],
};

/** Writes one half of the big inputs about spans and traces into `dir`; returns them in order. */
export function makeSpanInputs(dir: string, half: "deep" | "wide"): BigInput[] {
  mkdirSync(dir, { recursive: true });
  return SPAN_INPUTS[half].map(({ file, name, traceId, make }) => {
    const path = join(dir, file);
    make(path);
    return { name, path, traceId };
  });
}

/** A fresh FIFO for one run (runs go in parallel; two readers of one FIFO would share data). */
export function makeFifo(base: string, n: number): string {
  const path = `${base}-${n}`;
  execFileSync("mkfifo", [path]);
  return path;
}
