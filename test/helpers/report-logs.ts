/**
 * Logs made for the report's tests: many small requests (a long table), and one request whose
 * messages, span names, field keys and values are hostile markup. Dynamo's JSONL shape.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "./paths.js";

const BASE_US = Date.UTC(2025, 10, 4, 9, 0, 0) * 1000;

function time(us: number): string {
  return `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 19)}.${String(us % 1_000_000).padStart(6, "0")}Z`;
}

function line(us: number, level: string, message: string, fields: Record<string, unknown>): string {
  return JSON.stringify({ time: time(us), level, target: "dynamo_llm::http", message, ...fields });
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/** `count` one-span requests, 10 ms apart, lasting 1..count ms; every 7th logs an error. */
export function manyRequests(count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const start = BASE_US + i * 10_000;
    const ids = {
      span_id: hex(i + 1, 16),
      span_name: "http-request",
      trace_id: hex(i + 1, 32),
      x_request_id: `req-${i}`,
      method: "POST",
      uri: "/v1/chat/completions",
    };
    out.push(line(start, "INFO", "SPAN_CREATED", ids));
    if (i % 7 === 3) out.push(line(start + 100, "ERROR", "backend failed", ids));
    const duration = (i + 1) * 1000;
    out.push(
      line(start + duration, "INFO", "SPAN_CLOSED", {
        ...ids,
        "time.busy_us": Math.round(duration / 4),
        "time.idle_us": duration - Math.round(duration / 4),
        "time.duration_us": duration,
      }),
    );
  }
  return `${out.join("\n")}\n`;
}

/**
 * One request of `count` spans, 10 µs apart, in tree order: the root, then groups of 100 (a
 * `group-<n>` span and 99 `step` children); the last span created is last on the waterfall too.
 * Each span closes once its children have.
 */
export function bigTrace(count: number): string {
  const trace = "b".repeat(32);
  const ids = (i: number, parent: number) => ({
    span_id: hex(i + 1, 16),
    span_name: i === 0 ? "http-request" : (i - 1) % 100 === 0 ? `group-${(i - 1) / 100}` : "step",
    trace_id: trace,
    ...(parent < 0 ? {} : { parent_id: hex(parent + 1, 16) }),
  });
  const parentOf = (i: number) => (i === 0 ? -1 : (i - 1) % 100 === 0 ? 0 : i - ((i - 1) % 100));
  const closed = (i: number, at: number, duration: number) =>
    line(BASE_US + at, "INFO", "SPAN_CLOSED", {
      ...ids(i, parentOf(i)),
      "time.busy_us": Math.ceil(duration / 2),
      "time.idle_us": Math.floor(duration / 2),
      "time.duration_us": duration,
    });
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(line(BASE_US + i * 10, "INFO", "SPAN_CREATED", ids(i, parentOf(i))));
    if (parentOf(i) > 0) out.push(closed(i, i * 10 + 5, 5));
    const group = parentOf(i) === 0 ? i : parentOf(i);
    if (i > 0 && (i === count - 1 || (i % 100 === 0 && i > group)))
      out.push(closed(group, i * 10 + 6, (i - group) * 10 + 6));
  }
  out.push(closed(0, count * 10, count * 10));
  return `${out.join("\n")}\n`;
}

/** Markup that must show as text: closing tags, handlers, links, entities. */
export const HOSTILE = [
  "</script><script>window.__pwned=1</script>",
  '<img src=x onerror="window.__pwned=2">',
  '<a href="javascript:window.__pwned=3">click</a>',
  "&lt;b&gt;bold&amp;lt; &#60;i&#62;",
  "<!-- <style>body{display:none}</style>",
  "\u2028line\u2029separators",
];

/** One request of two spans where every name, message, key and value is hostile. */
export function hostileRequest(): string {
  const trace = "a".repeat(32);
  const root = {
    span_id: "1".repeat(16),
    span_name: HOSTILE[0],
    trace_id: trace,
    x_request_id: HOSTILE[1],
    uri: HOSTILE[2],
    [HOSTILE[3] as string]: HOSTILE[4],
  };
  const child = {
    ...root,
    span_id: "2".repeat(16),
    parent_id: root.span_id,
    span_name: HOSTILE[1],
  };
  const out = [
    line(BASE_US, "INFO", "SPAN_CREATED", root),
    line(BASE_US + 10, "INFO", "SPAN_CREATED", child),
    ...HOSTILE.map((h, i) => line(BASE_US + 20 + i, "ERROR", h, { ...child, [h]: h })),
    line(BASE_US + 500, "INFO", "SPAN_CLOSED", {
      ...child,
      "time.busy_us": 200,
      "time.idle_us": 290,
      "time.duration_us": 490,
    }),
    line(BASE_US + 1000, "INFO", "SPAN_CLOSED", {
      ...root,
      "time.busy_us": 400,
      "time.idle_us": 600,
      "time.duration_us": 1000,
    }),
  ];
  return `${out.join("\n")}\n`;
}

/** Writes `text` to a new temporary file; returns its path. */
export function tempLog(name: string, text: string): string {
  const dir = scratchDir("report-test");
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
