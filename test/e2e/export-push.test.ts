/**
 * `dynlog export --push` against a loopback OTLP/HTTP receiver, through faults. Commands run in
 * this process, on the receiver's event loop (runHere); the progress-line test runs `bin/dynlog`
 * on a terminal and through a pipe, where the process is what is tested.
 */
// test-runner: mostly waits
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { retryAfterMs } from "../../src/export/otlp-http.js";
import { runHere } from "../helpers/in-memory-main.js";
import {
  decodeTraceRequest,
  encodeTraceResponse,
  traceRequestFromJson,
} from "../helpers/otlp-proto.js";
import { OtlpReceiver, type Reply } from "../helpers/otlp-receiver.js";
import { FIXTURES, scratchDir } from "../helpers/paths.js";
import { runDynlog, runDynlogOnTerminal, SCRIPT } from "../helpers/spawn-run.js";

const SAMPLE = ["frontend", "prefill", "decode"].map((n) => `${FIXTURES}sample/${n}.jsonl`);
const SAMPLE_SPANS = 75;

// biome-ignore lint/suspicious/noExplicitAny: decoded messages under test
type Json = any;

async function push(replies: Reply[], args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const receiver = await OtlpReceiver.start(replies);
  try {
    const run = await runHere(
      ["export", "--push", "--endpoint", receiver.url, ...args, ...SAMPLE],
      {
        timeoutMs: 60000,
        env,
      },
    );
    return { run, requests: receiver.requests };
  } finally {
    await receiver.stop();
  }
}

const spansOf = (data: Json): Json[] =>
  (data.resourceSpans ?? []).flatMap((rs: Json) => rs.scopeSpans.flatMap((ss: Json) => ss.spans));

test("http/protobuf: every span reaches /v1/traces, decodable with the official definitions", async () => {
  const { run, requests } = await push([], [], {
    OTEL_EXPORTER_OTLP_HEADERS: "x-scope-orgid=team%20a,authorization=Bearer t",
  });
  assert.is(run.status, 0, run.stderr);
  assert.is(run.stderr, "");
  assert.ok(requests.length >= 1);
  for (const r of requests) {
    assert.is(r.path, "/v1/traces");
    assert.is(r.headers["content-type"], "application/x-protobuf");
    assert.is(r.headers["x-scope-orgid"], "team a");
    assert.is(r.headers.authorization, "Bearer t");
  }
  const spans = requests.flatMap((r) => spansOf(decodeTraceRequest(r.body)));
  assert.is(spans.length, SAMPLE_SPANS);
  for (const s of spans) {
    assert.match(s.traceId, /^[0-9a-f]{32}$/);
    assert.match(s.spanId, /^[0-9a-f]{16}$/);
    assert.ok(BigInt(s.endTimeUnixNano) >= BigInt(s.startTimeUnixNano));
  }
  const services = decodeTraceRequest(requests[0]?.body as Buffer).resourceSpans.map(
    (rs: Json) => rs.resource.attributes[0].value.stringValue,
  );
  assert.equal(services.sort(), ["decode", "frontend", "prefill"]);
});

test("pushing the same logs twice sends the same span ids and times", async () => {
  const ids = async () => {
    const { run, requests } = await push([]);
    assert.is(run.status, 0, run.stderr);
    return requests
      .flatMap((r) => spansOf(decodeTraceRequest(r.body)))
      .map((s: Json) => `${s.traceId}/${s.spanId}/${s.startTimeUnixNano}`)
      .sort();
  };
  assert.equal(await ids(), await ids());
});

test("http/json: hex ids and nanosecond strings that the official definitions accept", async () => {
  const { run, requests } = await push([], ["--protocol", "http/json"], {
    OTEL_EXPORTER_OTLP_COMPRESSION: "gzip",
  });
  assert.is(run.status, 0, run.stderr);
  assert.is(requests[0]?.headers["content-type"], "application/json");
  assert.is(requests[0]?.headers["content-encoding"], "gzip");
  const first = requests[0] as { body: Buffer };
  const json = JSON.parse(first.body.toString("utf8"));
  const spans = spansOf(json);
  assert.is(spans.length, SAMPLE_SPANS);
  assert.match(spans[0].traceId, /^[0-9a-f]{32}$/);
  assert.type(spans[0].startTimeUnixNano, "string");
  const checked = spansOf(traceRequestFromJson(json));
  assert.equal(
    checked.map((s: Json) => [s.traceId, s.spanId, s.name, s.startTimeUnixNano]),
    spans.map((s: Json) => [s.traceId, s.spanId, s.name, s.startTimeUnixNano]),
  );
});

test("endpoints: OTEL_EXPORTER_OTLP_ENDPOINT gets /v1/traces, the TRACES one is used as-is", async () => {
  const receiver = await OtlpReceiver.start();
  try {
    const base = await runHere(["export", "--push", ...SAMPLE], {
      timeoutMs: 60000,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/` },
    });
    assert.is(base.status, 0, base.stderr);
    const exact = await runHere(["export", "--push", ...SAMPLE], {
      timeoutMs: 60000,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/custom/traces`,
      },
    });
    assert.is(exact.status, 0, exact.stderr);
    assert.equal(
      [...new Set(receiver.requests.map((r) => r.path))],
      ["/v1/traces", "/custom/traces"],
    );
  } finally {
    await receiver.stop();
  }
});

test("503 with Retry-After is retried after the time it names", async () => {
  const { run, requests } = await push([{ status: 503, headers: { "retry-after": "1" } }]);
  assert.is(run.status, 0, run.stderr);
  assert.is(requests.length, 2);
  const gap = (requests[1]?.atMs as number) - (requests[0]?.atMs as number);
  assert.ok(gap >= 900, `waited ${gap} ms`);
  assert.is(spansOf(decodeTraceRequest(requests[1]?.body as Buffer)).length, SAMPLE_SPANS);
});

test("429 without Retry-After is retried with backoff", async () => {
  const { run, requests } = await push([{ status: 429 }, { status: 429 }]);
  assert.is(run.status, 0, run.stderr);
  assert.is(requests.length, 3);
});

test("400 is not retried: exit 1 with the collector's message", async () => {
  const { run, requests } = await push([
    {
      status: 400,
      headers: { "content-type": "application/json" },
      body: '{"code":3,"message":"bad span"}',
    },
  ]);
  assert.is(run.status, 1);
  assert.is(requests.length, 1);
  assert.match(run.stderr, "HTTP 400: bad span");
  assert.match(run.stderr, `${SAMPLE_SPANS} of ${SAMPLE_SPANS} spans were not accepted`);
});

test("a partial success is reported with its count and message, exit 1", async () => {
  const body = encodeTraceResponse(2, "2 spans too old");
  const { run, requests } = await push([
    { status: 200, headers: { "content-type": "application/x-protobuf" }, body },
  ]);
  assert.is(run.status, 1);
  assert.is(requests.length, 1);
  assert.match(run.stderr, "rejected 2 of");
  assert.match(run.stderr, "2 spans too old");
  assert.match(run.stderr, `2 of ${SAMPLE_SPANS} spans were not accepted`);
});

test("a partial success in JSON is read too", async () => {
  const body = JSON.stringify({ partialSuccess: { rejectedSpans: "3", errorMessage: "quota" } });
  const { run } = await push(
    [{ status: 200, headers: { "content-type": "application/json" }, body }],
    ["--protocol", "http/json"],
  );
  assert.is(run.status, 1);
  assert.match(run.stderr, "rejected 3 of");
  assert.match(run.stderr, "quota");
});

test("connection refused: exit 1 naming the endpoint", async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const run = await runHere(
    ["export", "--push", "--endpoint", `http://127.0.0.1:${port}`, ...SAMPLE],
    {
      timeoutMs: 60000,
      env: { OTEL_EXPORTER_OTLP_TIMEOUT: "2000" },
    },
  );
  assert.is(run.status, 1);
  assert.match(run.stderr, `connection refused by 127.0.0.1:${port}`);
});

test("a server slower than the timeout: exit 1, said so", async () => {
  const { run } = await push([{ status: 200, delayMs: 5000 }], [], {
    OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: "700",
  });
  assert.is(run.status, 1);
  assert.match(run.stderr, "no answer within");
});

test("grpc is refused before reading, naming the HTTP port", async () => {
  const run = await runHere(["export", "--push", ...SAMPLE], {
    timeoutMs: 30000,
    env: { OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" },
  });
  assert.is(run.status, 2);
  assert.match(run.stderr, "4318");
});

test("--signals traces,logs: every record as an OTLP log record, linked to its span", async () => {
  const { run, requests } = await push([], ["--signals", "traces,logs", "--protocol", "http/json"]);
  assert.is(run.status, 0, run.stderr);
  const logs = requests.filter((r) => r.path === "/v1/logs");
  assert.ok(requests.some((r) => r.path === "/v1/traces"));
  assert.ok(logs.length >= 1);
  const records = logs.flatMap((r) =>
    JSON.parse(r.body.toString("utf8")).resourceLogs.flatMap((rl: Json) =>
      rl.scopeLogs.flatMap((sl: Json) => sl.logRecords.map((lr: Json) => ({ ...lr, rl }))),
    ),
  );
  // `dynlog validate` counts 541 JSON records and 10 other lines in the sample.
  assert.is(records.length, 551, "every record and every other line");
  const linked = records.filter((r: Json) => r.traceId !== undefined);
  assert.ok(linked.length > 100);
  for (const r of linked) {
    assert.match(r.traceId, /^[0-9a-f]{32}$/);
    assert.match(r.spanId, /^[0-9a-f]{16}$/);
  }
  const error = records.find((r: Json) => r.severityText === "ERROR");
  assert.is(error.severityNumber, 17);
  assert.type(error.body.stringValue, "string");
});

test("--signals logs: OTEL_SERVICE_NAME names the log records of an input the logs do not attribute", async () => {
  const dir = scratchDir("push");
  const node7 = join(dir, "node7.jsonl");
  const text = readFileSync(`${FIXTURES}sample/frontend.jsonl`, "utf8");
  writeFileSync(node7, text.replace(/^.*OTLP export enabled.*\n/m, ""));
  const receiver = await OtlpReceiver.start();
  try {
    const args = ["--signals", "traces,logs", "--protocol", "http/json"];
    const run = await runHere(
      ["export", "--push", "--endpoint", receiver.url, ...args, node7, SAMPLE[1] as string],
      { timeoutMs: 60000, env: { OTEL_SERVICE_NAME: "checkout" } },
    );
    assert.is(run.status, 0, run.stderr);
    const services = (path: string, key: string) =>
      new Set(
        receiver.requests
          .filter((r) => r.path === path)
          .flatMap((r) => JSON.parse(r.body.toString("utf8"))[key])
          .map((x: Json) => x.resource.attributes[0].value.stringValue),
      );
    assert.equal([...services("/v1/logs", "resourceLogs")].sort(), ["checkout", "prefill"]);
    assert.equal([...services("/v1/traces", "resourceSpans")].sort(), ["checkout", "prefill"]);
  } finally {
    await receiver.stop();
  }
});

test("on a terminal, the traces push and the logs push each keep a progress line on stderr", async () => {
  if (!existsSync(SCRIPT)) {
    // `script` (util-linux, Debian's bsdutils) gives the run a terminal; CI has it.
    assert.ok(process.env.CI !== "true", `${SCRIPT} is missing`);
    console.log(`skipped: ${SCRIPT} is missing`);
    return;
  }
  const receiver = await OtlpReceiver.start();
  try {
    const args = ["export", "--push", "--endpoint", receiver.url, "--signals", "traces,logs"];
    const run = await runDynlogOnTerminal([...args, ...SAMPLE], { timeoutMs: 60000 });
    assert.is(run.status, 0, run.stderr);
    assert.match(run.stderr, /sent \d+ traces, 75 spans \(\d+ spans\/s\)/);
    assert.match(run.stderr, /sent 551 log records \(\d+ records\/s\)/);
    const piped = await runDynlog([...args, ...SAMPLE], { timeoutMs: 60000 });
    assert.is(piped.status, 0, piped.stderr);
    assert.is(piped.stderr, "", "no progress line when stderr is not a terminal");
  } finally {
    await receiver.stop();
  }
});

test("Retry-After as seconds or as an HTTP date", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  assert.is(retryAfterMs("3", now), 3000);
  assert.is(retryAfterMs("Wed, 01 Jan 2025 00:00:05 GMT", now), 5000);
  assert.is(retryAfterMs("soon", now), null);
  assert.is(retryAfterMs(undefined, now), null);
});

test.run();
