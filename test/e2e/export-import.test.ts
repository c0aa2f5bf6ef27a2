/** Exported traces read back: logs -> export -> trace/traces/stats/export give what the logs gave. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynlog } from "../helpers/cli.js";
import { FIXTURES, scratchDir } from "../helpers/paths.js";

const NAMES = ["frontend", "prefill", "decode"];
const DIR = scratchDir("import");

// biome-ignore lint/suspicious/noExplicitAny: JSON documents under test
type Json = any;

function run(args: string[]): string {
  const r = dynlog(args);
  assert.is(r.status, 0, `${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** Sample logs with every span marker removed: spans known from their events only. */
function markerless(): string[] {
  return NAMES.map((n) => {
    const text = readFileSync(`${FIXTURES}sample/${n}.jsonl`, "utf8");
    const path = join(DIR, `${n}.jsonl`);
    writeFileSync(
      path,
      text
        .split("\n")
        .filter((l) => !l.includes('"SPAN_'))
        .join("\n"),
    );
    return path;
  });
}

const CASES: [string, () => string[]][] = [
  ["SPAN_CREATED logs", () => NAMES.map((n) => `${FIXTURES}doc-example/created/${n}.jsonl`)],
  [
    "SPAN_FIRST_ENTRY logs",
    () => NAMES.map((n) => `${FIXTURES}doc-example/first-entry/${n}.jsonl`),
  ],
  ["sample logs (open span, errors)", () => NAMES.map((n) => `${FIXTURES}sample/${n}.jsonl`)],
  ["logs without span events", markerless],
];

function traceIds(logs: string[]): string[] {
  return (JSON.parse(run(["traces", "--format", "json", ...logs])) as Json[]).map(
    (t) => t.trace_id,
  );
}

for (const [name, inputs] of CASES) {
  for (const format of ["otlp", "jaeger", "grafana"]) {
    test(`${name} -> ${format} -> the same traces, stats and span trees`, () => {
      const logs = inputs();
      const file = join(DIR, `${name.replace(/\W+/g, "-")}.${format}.json`);
      run(["export", "--format", format, "-o", file, ...logs]);
      assert.is(
        run(["traces", "--format", "json", file]),
        run(["traces", "--format", "json", ...logs]),
      );
      assert.is(
        run(["stats", "--format", "json", file]),
        run(["stats", "--format", "json", ...logs]),
      );
      const ids = traceIds(logs);
      assert.ok(ids.length > 0);
      for (const id of ids.slice(0, 4)) {
        assert.is(
          run(["trace", id, "--format", "json", file]),
          run(["trace", id, "--format", "json", ...logs]),
          `trace ${id}`,
        );
      }
    });
  }
}

/** OTLP/JSON lines as Tempo would answer: base64 ids, enum names, pretty-printed. */
function tempo(otlpLines: string, version: 1 | 2): string {
  const kinds = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"];
  const b64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");
  const resourceSpans = otlpLines
    .split("\n")
    .filter((l) => l !== "")
    .flatMap((l) => JSON.parse(l).resourceSpans);
  for (const rs of resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans) {
        s.traceId = b64(s.traceId);
        s.spanId = b64(s.spanId);
        if (s.parentSpanId) s.parentSpanId = b64(s.parentSpanId);
        s.kind = `SPAN_KIND_${kinds[s.kind]}`;
      }
    }
  }
  const doc = version === 1 ? { batches: resourceSpans } : { trace: { resourceSpans } };
  return JSON.stringify(doc, null, 2);
}

for (const version of [1, 2] as const) {
  test(`Tempo v${version} answers (base64 ids, enum names) read back to the same trace`, () => {
    const logs = NAMES.map((n) => `${FIXTURES}doc-example/first-entry/${n}.jsonl`);
    const file = join(DIR, `tempo-v${version}.json`);
    writeFileSync(file, tempo(run(["export", ...logs]), version));
    const id = "b672ccf48683b392891c5cb4163d4b51";
    assert.is(
      run(["trace", id, "--format", "json", file]),
      run(["trace", id, "--format", "json", ...logs]),
    );
    assert.is(
      run(["export", file]),
      run(["export", ...logs]),
      "export of the import is the export",
    );
  });
}

/**
 * OTLP/JSON lines as an older tracing-opentelemetry wrote them: `code.filepath`, `code.lineno`
 * and `code.namespace` (before 0.32), `busy_ns`/`idle_ns` as strings (up to 0.11; integers from
 * 0.12, under the same names).
 */
function olderGeneration(otlpLines: string): string {
  const renamed: Record<string, string> = {
    "code.file.path": "code.filepath",
    "code.line.number": "code.lineno",
    target: "code.namespace",
  };
  return otlpLines
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const data = JSON.parse(l);
      for (const rs of data.resourceSpans) {
        for (const s of rs.scopeSpans.flatMap((ss: Json) => ss.spans)) {
          for (const a of s.attributes) {
            a.key = renamed[a.key] ?? a.key;
            if (a.key === "busy_ns" || a.key === "idle_ns")
              a.value = { stringValue: a.value.intValue };
          }
        }
      }
      return JSON.stringify(data);
    })
    .join("\n");
}

test("both generations of tracing-opentelemetry names read back to the same trace", () => {
  const logs = NAMES.map((n) => `${FIXTURES}doc-example/created/${n}.jsonl`);
  const exported = run(["export", ...logs]);
  assert.match(exported, '"code.file.path"');
  const older = join(DIR, "older-generation.json");
  writeFileSync(older, olderGeneration(exported));
  assert.not.match(readFileSync(older, "utf8"), '"code.file.path"');
  const id = "b672ccf48683b392891c5cb4163d4b51";
  const trace = (file: string) => JSON.parse(run(["trace", id, "--format", "json", file]));
  const newer = join(DIR, "newer-generation.json");
  writeFileSync(newer, exported);
  const fromOlder = trace(older);
  assert.equal(fromOlder, trace(newer));
  assert.is(fromOlder.roots[0].busy_us, 18101, "busy_ns written as a string");
  assert.is(run(["export", older]), exported, "code location and busy/idle as the logs gave them");
});

test("a trace half in logs, half in a Tempo download joins by trace id", () => {
  const logs = NAMES.map((n) => `${FIXTURES}doc-example/first-entry/${n}.jsonl`);
  const workers = join(DIR, "workers.json");
  writeFileSync(workers, tempo(run(["export", logs[1] as string, logs[2] as string]), 2));
  const id = "b672ccf48683b392891c5cb4163d4b51";
  const joined = JSON.parse(run(["trace", id, "--format", "json", logs[0] as string, workers]));
  assert.is(joined.span_count, 3);
  assert.is(joined.roots.length, 1);
  assert.is(joined.roots[0].children.length, 2);
});

test("a broken trace document is reported, not a crash", () => {
  const file = join(DIR, "broken.json");
  writeFileSync(
    file,
    '{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"spans":[{"traceId":',
  );
  const r = dynlog(["traces", file]);
  assert.is(r.status, 1);
  assert.match(r.stderr, "broken.json: not a readable trace document");
});

test.run();
