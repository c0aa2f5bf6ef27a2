/**
 * Every command tells the same story about every request: `trace`, `traces`, `stats`,
 * `tail --no-follow --traces` and `validate`, run through the CLI on the same generated
 * logs (the sample's three components as separate files; the same files concatenated into one
 * stream; the same logs without span events), agree on each request's duration, span count,
 * services, open spans and counts per span name.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { formatDuration } from "../../src/render/durations.js";
import { dynlog } from "../helpers/cli.js";
import { FIXTURES, scratchDir } from "../helpers/paths.js";
import { withoutSpanEvents } from "../helpers/span-events.js";

const COMPONENTS = ["frontend", "prefill", "decode"].map((c) => `${FIXTURES}sample/${c}.jsonl`);
const dir = scratchDir("agree");

interface RowJson {
  trace_id: string;
  duration_us: number | null;
  duration_is_lower_bound: boolean;
  span_count: number;
  services: string[];
  open_spans: number;
  inferred_spans: number;
  errors: number;
  span_names: Record<string, number>;
}

interface SpanJson {
  span_id: string;
  name: string;
  service: string;
  closed: boolean;
  flags: string[];
  children: SpanJson[];
}

interface TraceJson {
  duration_us: number | null;
  duration_is_lower_bound: boolean;
  span_count: number;
  services: string[];
  roots: SpanJson[];
}

function spansOf(trace: TraceJson): SpanJson[] {
  const out: SpanJson[] = [];
  const stack = [...trace.roots];
  while (stack.length > 0) {
    const s = stack.pop() as SpanJson;
    out.push(s);
    stack.push(...s.children);
  }
  return out;
}

async function run(args: string[]): Promise<string> {
  const result = dynlog(args, { timeoutMs: 120000 });
  assert.is(result.status, 0, `dynlog ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

async function json<T>(args: string[]): Promise<T> {
  return JSON.parse(await run(args)) as T;
}

const sorted = (list: Iterable<string>) => [...list].sort();

interface Checks {
  /** Compare services (a concatenated stream needs the reader's service attribution). */
  services: boolean;
  /** Compare `tail --traces` (see the concatenated case). */
  tail: boolean;
}

/** `tail --traces`: the request's duration, its open spans and its services in its summary. */
function checkDigest(row: RowJson, digest: string | undefined, services: boolean): void {
  const what = `trace ${row.trace_id}`;
  assert.ok(digest !== undefined, `${what}: no tail summary`);
  const bound = row.duration_is_lower_bound ? "≥" : "";
  const duration = `${bound}${formatDuration(row.duration_us)}`;
  assert.ok(digest.includes(` ${duration}`), `${what}: '${digest}' lacks ${duration}`);
  const open = (digest.match(/ still open/g) ?? []).length;
  assert.is(open, row.open_spans, `${what}: open spans in '${digest}'`);
  if (!services) return;
  for (const service of row.services) {
    assert.ok(digest.includes(`${service} `), `${what}: ${service} in '${digest}'`);
  }
}

/** The requests `trace` is run for: every odd one (open, errors, not 3 spans) and a few more. */
function sampleOf(rows: RowJson[]): RowJson[] {
  const odd = rows.filter((r) => r.open_spans > 0 || r.errors > 0 || r.span_count !== 3);
  const plain = rows.filter((r) => !odd.includes(r)).slice(0, 3);
  return [...odd.slice(0, 8), ...plain];
}

function add(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

/** Runs the five commands on `inputs` and checks they agree on every request. */
async function checkAgreement(inputs: string[], checks: Checks): Promise<void> {
  const { services } = checks;
  const rows = await json<RowJson[]>(["traces", "--format", "json", ...inputs]);
  assert.ok(rows.length >= 10, `traces found ${rows.length} traces`);
  const sample = sampleOf(rows);
  const [tail, validate, stats, traces] = await Promise.all([
    checks.tail ? run(["tail", "--no-follow", "--traces", "-n", "1000000", ...inputs]) : "",
    json<{ problems: { kind: string; problem: string }[] }>([
      "validate",
      "--format",
      "json",
      ...inputs,
    ]),
    json<{ name: string; count: number }[]>(["stats", "--format", "json", ...inputs]),
    Promise.all(
      sample.map((row) => json<TraceJson>(["trace", row.trace_id, "--format", "json", ...inputs])),
    ),
  ]);
  // trace and traces, request by request
  for (const [i, row] of sample.entries()) {
    const what = `trace ${row.trace_id}`;
    const trace = traces[i] as TraceJson;
    const spans = spansOf(trace);
    assert.is(row.duration_us, trace.duration_us, `${what}: duration`);
    assert.is(row.duration_is_lower_bound, trace.duration_is_lower_bound, `${what}: bound`);
    assert.is(row.span_count, trace.span_count, `${what}: span count`);
    assert.is(row.span_count, spans.length, `${what}: spans listed`);
    assert.is(
      row.open_spans,
      spans.filter((s) => s.flags.includes("open")).length,
      `${what}: open`,
    );
    if (services) assert.equal(sorted(row.services), sorted(trace.services), `${what}: services`);
    const names = new Map<string, number>();
    for (const s of spans) add(names, s.name, 1);
    assert.equal(Object.fromEntries(names), row.span_names, `${what}: spans per name`);
  }
  // tail --traces, request by request
  if (checks.tail) {
    const digests = new Map<string, string>();
    for (const line of tail.split("\n")) {
      const m = /^── trace ([0-9a-f]{12}) · (.*)$/.exec(line);
      if (m) digests.set(m[1] as string, m[2] as string);
    }
    assert.is(digests.size, rows.length, "one tail summary per request");
    for (const row of rows) checkDigest(row, digests.get(row.trace_id.slice(0, 12)), services);
  }
  // validate: the open spans, request by request (named in its problems)
  const openNames = new Map<string, number>();
  const reported = validate.problems.filter((p) => p.kind === "span open at end of log");
  for (const p of reported)
    add(openNames, (/^span (.*) [0-9a-f]+ opened here/.exec(p.problem) ?? [])[1] ?? "", 1);
  assert.is(
    reported.length,
    rows.reduce((n, r) => n + r.open_spans, 0),
    "open spans in validate",
  );
  for (const [i, row] of sample.entries()) {
    for (const s of spansOf(traces[i] as TraceJson).filter((x) => x.flags.includes("open"))) {
      assert.ok(
        reported.some((p) => p.problem.includes(s.span_id)),
        `trace ${row.trace_id}: validate does not report open span ${s.span_id}`,
      );
    }
  }
  // stats: counts per span name are the sums over the requests of the spans not left open
  const expected = new Map<string, number>();
  for (const row of rows)
    for (const [name, n] of Object.entries(row.span_names)) add(expected, name, n);
  for (const [name, n] of openNames) add(expected, name, -n);
  const counted = new Map<string, number>();
  for (const r of stats) add(counted, r.name, r.count);
  for (const [name, n] of expected) if (n === 0) expected.delete(name);
  assert.equal(
    [...counted.entries()].sort(),
    [...expected.entries()].sort(),
    "stats per span name",
  );
}

test("separate files: every command agrees on every request", async () => {
  await checkAgreement(COMPONENTS, { services: true, tail: true });
});

function concatenated(name: string): string {
  const all = join(dir, name);
  writeFileSync(all, Buffer.concat(COMPONENTS.map((p) => readFileSync(p))));
  return all;
}

// `tail` summarises a request in stream order, a grace period after its root closes; in a
// concatenation the children come a whole component's log later, so `tail` is compared on
// separate inputs (how it is used) only.
test("the same files concatenated into one stream: durations, spans and open spans agree", async () => {
  await checkAgreement([concatenated("all.jsonl")], { services: false, tail: false });
});

test("the same files concatenated into one stream: services agree", async () => {
  await checkAgreement([concatenated("all-services.jsonl")], { services: true, tail: false });
});

test("the same logs without span events: inferred spans, every command agrees", async () => {
  const bare = withoutSpanEvents(COMPONENTS, dir);
  await checkAgreement(bare, { services: true, tail: true });
  const rows = await json<RowJson[]>(["traces", "--format", "json", ...bare]);
  assert.ok(rows.every((r) => r.inferred_spans === r.span_count && r.duration_is_lower_bound));
});

test.run();
