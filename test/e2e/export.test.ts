/** `dynlog export` to files and standard output, through the built CLI. */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { encodeTraces } from "../../src/export/protobuf.js";
import { dynlog } from "../helpers/cli.js";
import { decodeTraceRequest } from "../helpers/otlp-proto.js";
import { FIXTURES, scratchDir } from "../helpers/paths.js";

const DOC = ["frontend", "prefill", "decode"].map(
  (n) => `${FIXTURES}doc-example/created/${n}.jsonl`,
);
const SAMPLE = ["frontend", "prefill", "decode"].map((n) => `${FIXTURES}sample/${n}.jsonl`);
const TRACE = "b672ccf48683b392891c5cb4163d4b51";

// biome-ignore lint/suspicious/noExplicitAny: JSON documents under test
type Json = any;

function exportJson(args: string[]): Json[] {
  const run = dynlog(["export", ...args]);
  assert.is(run.status, 0, run.stderr);
  if (!args.includes("otlp") && args.includes("--format")) return [JSON.parse(run.stdout)];
  return run.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));
}

const spansOf = (data: Json): Json[] =>
  data.resourceSpans.flatMap((rs: Json) => rs.scopeSpans.flatMap((ss: Json) => ss.spans));

test("otlp: one TracesData line per trace, hex ids, nanosecond strings, integer kinds", () => {
  const lines = exportJson(DOC);
  assert.is(lines.length, 1);
  const data = lines[0];
  const services = data.resourceSpans.map(
    (rs: Json) =>
      rs.resource.attributes.find((a: Json) => a.key === "service.name").value.stringValue,
  );
  assert.equal(services, ["frontend", "prefill", "decode"]);
  assert.equal(data.resourceSpans[0].scopeSpans[0].scope.name, "dynlog");
  const spans = spansOf(data);
  assert.is(spans.length, 3);
  const root = spans[0];
  assert.is(root.traceId, TRACE);
  assert.is(root.spanId, "5c20cc08e6afb2b7");
  assert.is(root.parentSpanId, undefined);
  assert.is(root.kind, 2, "the frontend's http-request is a SERVER span");
  assert.is(root.startTimeUnixNano, "1761918730706000000");
  assert.is(root.endTimeUnixNano, "1761918734746202000");
  const attr = (s: Json, k: string) => s.attributes.find((a: Json) => a.key === k)?.value;
  assert.equal(attr(root, "busy_ns"), { intValue: "18101000" });
  assert.equal(attr(root, "method"), { stringValue: "POST" });
  for (const child of spans.slice(1)) {
    assert.is(child.parentSpanId, "5c20cc08e6afb2b7");
    assert.is(child.kind, 1);
  }
  assert.ok(root.events.length > 0, "records inside the span are events");
  assert.equal(attr(root.events[0], "level"), { stringValue: "DEBUG" });
});

test("spans carry their marker's code location as code.file.path and code.line.number", () => {
  const spans = spansOf(exportJson(DOC)[0]);
  const location = (s: Json) =>
    s.attributes.filter((a: Json) => a.key.startsWith("code.")).map((a: Json) => a.value);
  assert.equal(location(spans[0]), [
    { stringValue: "/opt/dynamo/lib/llm/src/http/service/openai.rs" },
    { intValue: "214" },
  ]);
  const jaeger = exportJson(["--format", "jaeger", ...DOC])[0].data[0].spans[1].tags;
  assert.equal(
    jaeger.filter((t: Json) => t.key.startsWith("code.")),
    [
      {
        key: "code.file.path",
        type: "string",
        value: "/opt/dynamo/lib/runtime/src/pipeline/network/ingress/push_endpoint.rs",
      },
      { key: "code.line.number", type: "int64", value: 108 },
    ],
  );
});

test("otlp: the protobuf encoding of a trace decodes with the official definitions to the same trace", () => {
  const data = exportJson(DOC)[0];
  const decoded = decodeTraceRequest(encodeTraces(data));
  const a = spansOf(data);
  const b = spansOf(decoded);
  assert.is(b.length, a.length);
  for (let i = 0; i < a.length; i++) {
    for (const key of [
      "traceId",
      "spanId",
      "parentSpanId",
      "name",
      "kind",
      "startTimeUnixNano",
      "endTimeUnixNano",
    ]) {
      assert.is(b[i][key], a[i][key], `${key} of span ${i}`);
    }
    assert.equal(b[i].attributes, a[i].attributes);
    assert.is(b[i].events.length, a[i].events.length);
  }
  assert.equal(decoded.resourceSpans[0].resource, data.resourceSpans[0].resource);
});

test("export twice gives the same bytes (same ids, same times)", () => {
  const a = dynlog(["export", ...SAMPLE]);
  const b = dynlog(["export", ...SAMPLE]);
  assert.is(a.status, 0, a.stderr);
  assert.ok(a.stdout.length > 1000);
  assert.is(a.stdout, b.stdout);
});

test("jaeger: the upload shape, µs times, CHILD_OF references, one process per service", () => {
  const doc = exportJson(["--format", "jaeger", ...DOC]);
  assert.is(doc.length, 1);
  const trace = doc[0].data[0];
  assert.is(trace.traceID, TRACE);
  const names = Object.values(trace.processes).map((p: Json) => p.serviceName);
  assert.equal(names, ["frontend", "prefill", "decode"]);
  const root = trace.spans[0];
  assert.equal(
    [root.operationName, root.startTime, root.duration, root.references],
    ["http-request", 1761918730706000, 4040202, []],
  );
  for (const child of trace.spans.slice(1)) {
    assert.equal(child.references, [{ refType: "CHILD_OF", traceID: TRACE, spanID: root.spanID }]);
    assert.ok(trace.processes[child.processID]);
  }
});

test("grafana: top-level batches with instrumentationLibrarySpans", () => {
  const doc = exportJson(["--format", "grafana", ...DOC])[0];
  assert.is(doc.batches.length, 3);
  const spans = doc.batches.flatMap((b: Json) => b.instrumentationLibrarySpans[0].spans);
  assert.equal(
    spans.map((s: Json) => s.name),
    ["http-request", "handle_payload", "handle_payload"],
  );
});

test("chrome: X events nest on each thread, one process per service, flows cross processes", () => {
  const doc = exportJson(["--format", "chrome", ...SAMPLE])[0];
  const events: Json[] = doc.traceEvents;
  const processes = events.filter((e) => e.ph === "M" && e.name === "process_name");
  assert.equal(processes.map((e) => e.args.name).sort(), ["decode", "frontend", "prefill"]);
  const slices = events.filter((e) => e.ph === "X");
  assert.ok(slices.length >= 75);
  const byThread = new Map<string, Json[]>();
  for (const e of slices) {
    const key = `${e.pid}/${e.tid}`;
    byThread.set(key, [...(byThread.get(key) ?? []), e]);
    assert.ok("span_id" in e.args && "busy_us" in e.args && "idle_us" in e.args);
  }
  for (const list of byThread.values()) {
    list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const open: Json[] = [];
    for (const e of list) {
      while (open.length > 0 && open[open.length - 1].ts + open[open.length - 1].dur <= e.ts)
        open.pop();
      const top = open[open.length - 1];
      if (top !== undefined) assert.ok(e.ts + e.dur <= top.ts + top.dur, "spans on a thread nest");
      open.push(e);
    }
  }
  const starts = events.filter((e) => e.ph === "s");
  const ends = events.filter((e) => e.ph === "f");
  assert.ok(starts.length > 0);
  assert.is(starts.length, ends.length);
});

test("--trace takes prefixes and request ids; one that matches nothing is exit 1", () => {
  assert.is(exportJson(["--trace", "b672ccf4", ...DOC]).length, 1);
  assert.is(exportJson(["--trace", "8372eac7-5f43-4d76-beca-0a94cfb311d0", ...DOC]).length, 1);
  const two = exportJson(["--trace", "397842126969", "--trace", "a0bf6804eb09", ...SAMPLE]);
  assert.is(two.length, 2);
  const missing = dynlog(["export", "--trace", "ffffffffffff", ...DOC]);
  assert.is(missing.status, 1);
  assert.match(missing.stderr, "no trace matches 'ffffffffffff'");
});

test("--errors, --min-duration and --where choose traces, exported whole", () => {
  const errors = exportJson(["--errors", ...SAMPLE]);
  assert.is(errors.length, 1);
  assert.ok(spansOf(errors[0]).some((s: Json) => s.status.code === 2));
  const all = exportJson(SAMPLE).length;
  const slow = exportJson(["--min-duration", "2s", ...SAMPLE]).length;
  assert.ok(slow > 0 && slow < all, `${slow} of ${all}`);
  const bad = dynlog(["export", "--min-duration", "soon", ...SAMPLE]);
  assert.is(bad.status, 2);
  const where = exportJson([
    ...DOC,
    "--where",
    "x_request_id=8372eac7-5f43-4d76-beca-0a94cfb311d0",
  ]);
  assert.is(spansOf(where[0]).length, 3, "the whole trace, not only the matching records");
});

test("-o writes the file; nothing to export is exit 1 with a message", () => {
  const dir = scratchDir("export");
  const file = join(dir, "t.json");
  const run = dynlog(["export", "--format", "jaeger", "-o", file, ...DOC]);
  assert.is(run.status, 0, run.stderr);
  assert.is(run.stdout, "");
  assert.is(JSON.parse(readFileSync(file, "utf8")).data.length, 1);
  const none = dynlog(["export", `${FIXTURES}bad/empty.jsonl`]);
  assert.is(none.status, 1);
  assert.match(none.stderr, "no traces to export");
  const unwritable = dynlog(["export", "-o", join(dir, "no/such/dir.json"), ...DOC]);
  assert.is(unwritable.status, 1);
});

/** The services of an OTLP export, and the resource attributes of each. */
function resources(args: string[], env: NodeJS.ProcessEnv): Map<string, Json[]> {
  const run = dynlog(["export", ...args], { env });
  assert.is(run.status, 0, run.stderr);
  const out = new Map<string, Json[]>();
  for (const line of run.stdout.split("\n").filter((l) => l !== "")) {
    for (const rs of JSON.parse(line).resourceSpans) {
      const attributes = rs.resource.attributes;
      out.set(attributes.find((a: Json) => a.key === "service.name").value.stringValue, attributes);
    }
  }
  return out;
}

test("OTEL_SERVICE_NAME names spans the logs do not attribute; announced and label= names stay", () => {
  const dir = scratchDir("export");
  // Logs without their `OTLP export ... service=` announcement: named after the file, by default.
  const [node7, decode] = ["frontend", "decode"].map((name, i) => {
    const path = join(dir, i === 0 ? "node7.jsonl" : "decode.jsonl");
    const text = readFileSync(`${FIXTURES}sample/${name}.jsonl`, "utf8");
    writeFileSync(path, text.replace(/^.*OTLP export enabled.*\n/m, ""));
    return path;
  });
  const inputs = [node7 as string, SAMPLE[1] as string, `api=${decode}`];
  const names = (env: NodeJS.ProcessEnv) => [...resources(inputs, env).keys()].sort();
  assert.equal(names({}), ["api", "node7", "prefill"]);
  assert.equal(names({ OTEL_SERVICE_NAME: "checkout" }), ["api", "checkout", "prefill"]);
  const attributes = "service.name=from%20attributes,deployment.environment=prod";
  const fromAttributes = resources(inputs, { OTEL_RESOURCE_ATTRIBUTES: attributes });
  assert.equal([...fromAttributes.keys()].sort(), ["api", "from attributes", "prefill"]);
  for (const list of fromAttributes.values()) {
    assert.equal(
      list.map((a: Json) => a.key),
      ["service.name", "deployment.environment"],
      "one service.name per resource, the other attributes kept",
    );
  }
  const both = { OTEL_SERVICE_NAME: "checkout", OTEL_RESOURCE_ATTRIBUTES: attributes };
  assert.equal(names(both), ["api", "checkout", "prefill"], "OTEL_SERVICE_NAME takes precedence");
});

/** One span with `events` DEBUG records inside (the first written is the latest), then an ERROR. */
function crowdedSpan(events: number): string {
  const base = Date.UTC(2025, 9, 31, 13, 52, 10) * 1000;
  const time = (us: number) => {
    const s = Math.floor(us / 1e6);
    return `${new Date(s * 1000).toISOString().slice(0, 19)}.${String(us - s * 1e6).padStart(6, "0")}Z`;
  };
  const ids = { span_id: "00000000000000aa", span_name: "busy", trace_id: TRACE };
  const line = (us: number, level: string, message: string, extra = {}) =>
    JSON.stringify({ time: time(us), level, target: "t", message, ...extra, ...ids });
  const lines = [line(base, "INFO", "SPAN_CREATED")];
  lines.push(line(base + 10 * events, "DEBUG", "written first, logged last"));
  for (let i = 1; i < events; i++) lines.push(line(base + 5 + i, "DEBUG", `step ${i}`, { i }));
  lines.push(line(base + 10 * events + 1, "ERROR", "failed at the end"));
  lines.push(line(base + 10 * events + 2, "INFO", "SPAN_CLOSED", { "time.busy_us": 5 }));
  return `${lines.join("\n")}\n`;
}

test("a span with 100 000 records: the 128 earliest are events, the rest counted, in bounded memory", () => {
  const dir = scratchDir("export");
  const file = join(dir, "crowded.jsonl");
  writeFileSync(file, crowdedSpan(100_000));
  // Keeping every record (about 2 KB each once parsed) would need far more than this heap. A
  // process of its own: the heap bound applies to a process, not to an in-process run.
  const run = dynlog(["export", file], {
    env: { NODE_OPTIONS: "--max-old-space-size=64" },
    timeoutMs: 60000,
    process: true,
  });
  rmSync(dir, { recursive: true, force: true });
  assert.is(run.status, 0, run.stderr);
  const span = spansOf(JSON.parse(run.stdout))[0];
  assert.is(span.events.length, 128);
  assert.is(span.droppedEventsCount, 100_001 - 128, "the others and the ERROR are counted");
  assert.is(span.events[0].name, "step 1");
  assert.ok(!span.events.some((e: Json) => e.name === "written first, logged last"));
  assert.equal(span.status, { code: 2, message: "failed at the end" }, "from a record not kept");
});

test.run();
