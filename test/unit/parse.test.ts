import { test } from "uvu";
import * as assert from "uvu/assert";
import { DEBUG, INFO, WARN } from "../../src/model/level.js";
import type { Source } from "../../src/model/record.js";
import { emptyRecord, lookupValue, normalizeJson } from "../../src/parse/normalize.js";
import { PrefixDetector } from "../../src/parse/prefix.js";
import { parseTimeUs } from "../../src/parse/time.js";

const SOURCE: Source = { index: 0, label: "fe", path: "fe.jsonl", labelled: false };

function read(json: string) {
  const rec = emptyRecord(SOURCE, 1, json);
  const ok = normalizeJson(rec, json, 0);
  return { ok, rec };
}

test("RFC 3339 times to microseconds, any offset", () => {
  const utc = parseTimeUs("2025-09-02T15:50:01.770028Z");
  assert.is(utc, Date.UTC(2025, 8, 2, 15, 50, 1) * 1000 + 770028);
  assert.is(parseTimeUs("2025-09-02T17:50:01.770028+02:00"), utc);
  assert.is(parseTimeUs("2025-09-02 15:50:01.770028999Z"), utc);
  assert.is(parseTimeUs("2025-09-02T15:50:01Z"), utc - 770028);
  assert.is(parseTimeUs("1969-12-31T23:59:59.5Z"), -500000);
  for (const bad of [
    "",
    "2025-09-02",
    "2025-13-02T15:50:01Z",
    "2025-02-30T00:00:00Z",
    "2025-09-02T15:50:01",
    "2025-09-02T15:50:01Zjunk",
    "2025-09-02T25:00:00Z",
    "2025-09-02T15:50:01.Z",
  ]) {
    assert.ok(Number.isNaN(parseTimeUs(bad)), bad);
  }
});

test("a bridged Python record takes its target and location from log.*", () => {
  const { ok, rec } = read(
    '{"time":"2025-09-02T15:53:31.943377Z","level":"INFO","target":"log","message":"m","log.file":"/x/main.py","log.line":191,"log.target":"main.init"}',
  );
  assert.ok(ok);
  assert.is(rec.target, "main.init");
  assert.is(rec.file, "/x/main.py");
  assert.is(rec.line, "191");
  assert.equal(rec.fields, []);
  assert.equal(
    rec.logFields.map((f) => f.key),
    ["log.file", "log.line", "log.target"],
  );
});

test("span markers of both generations, ids and timings", () => {
  const open = read(
    '{"time":"2025-10-31T13:52:10.707000Z","level":"DEBUG","target":"t","message":"SPAN_FIRST_ENTRY","span_id":"aaaaaaaaaaaaaaaa","span_name":"handle_payload","parent_id":"5c20cc08e6afb2b7","trace_id":"b672ccf48683b392891c5cb4163d4b51","x_request_id":"r-1"}',
  ).rec;
  assert.is(open.marker, "first_entry");
  assert.is(open.level, DEBUG);
  assert.is(open.spanName, "handle_payload");
  assert.is(open.parentId, "5c20cc08e6afb2b7");
  assert.is(open.requestId, "r-1");
  assert.equal(
    open.fields.map((f) => f.key),
    ["x_request_id"],
  );
  const created = read(
    '{"time":"2025-10-31T13:52:10.707000Z","level":"INFO","target":"t","message":"SPAN_CREATED"}',
  ).rec;
  assert.is(created.marker, "created");
  const closed = read(
    '{"time":"2025-10-31T13:52:10.746000Z","level":"INFO","target":"t","message":"SPAN_CLOSED","time.busy_us":614,"time.duration_us":36954,"time.idle_us":36340}',
  ).rec;
  assert.is(closed.marker, "closed");
  assert.equal([closed.busyUs, closed.idleUs, closed.durationUs], [614, 36340, 36954]);
  assert.is(read('{"level":"INFO","message":"SPAN_CLOSED?"}').rec.marker, null);
});

test("wrong types and odd levels are kept, never fatal", () => {
  const { ok, rec } = read(
    '{"time":1700000000,"level":"warning","line":"12","message":{"a":1},"span_id":42}',
  );
  assert.ok(ok);
  assert.is(rec.time, "1700000000");
  assert.ok(Number.isNaN(rec.timeUs));
  assert.is(rec.level, WARN);
  assert.is(rec.message, '{"a":1}');
  assert.is(rec.spanId, "42");
  assert.is(read('{"level":"NOTICE","message":"x"}').rec.level, INFO);
  assert.is(read('{"level":"debug","message":"x"}').rec.level, DEBUG);
});

test("a JSON value that is not a log record stays unparsed", () => {
  assert.not.ok(read('{"foo":1}').ok);
  assert.not.ok(read("[1,2]").ok);
  assert.not.ok(read('{"level":"INFO"').ok);
});

test("duplicate keys: the last value wins, in the first one's place; __proto__ is just a key", () => {
  const { rec } = read('{"level":"INFO","message":"m","a":1,"__proto__":{"x":1},"b":2,"a":3}');
  assert.equal(
    rec.fields.map((f) => `${f.key}=${f.raw}`),
    ["a=3", '__proto__={"x":1}', "b=2"],
  );
  assert.is(lookupValue(rec, "a"), "3");
  assert.is(({} as Record<string, unknown>).x, undefined);
});

test("launcher prefixes are trusted once seen before a record", () => {
  const compose = new PrefixDetector();
  assert.is(compose.detect("decode-1    | Processed prompts: 50%"), null, "not yet confirmed");
  assert.equal(compose.detect('frontend-1  | {"level":"INFO"}'), {
    style: "compose",
    length: 14,
    label: "frontend-1",
  });
  assert.is(compose.detect("decode-1    | Processed prompts: 50%")?.label, "decode-1");
  const srun = new PrefixDetector();
  assert.is(srun.detect("10: retrying in 3s"), null);
  assert.is(srun.detect('0: {"level":"INFO"}')?.label, "0");
  assert.is(srun.detect("1: Traceback (most recent call last):")?.label, "1");
  const kubectl = new PrefixDetector();
  assert.is(kubectl.detect('[pod/frontend-7d9/main] {"a":1}')?.label, "pod/frontend-7d9/main");
  assert.is(kubectl.detect("[INFO] not a prefix"), null);
  assert.is(new PrefixDetector().detect('{"level":"INFO"}'), null);
});

test.run();
