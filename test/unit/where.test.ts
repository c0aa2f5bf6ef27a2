/** `--where` expressions: the grammar, each operator on records, and errors with positions. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileWhere, parseWhere, WhereSyntaxError } from "../../src/filter/where.js";
import type { LogRecord, Source } from "../../src/model/record.js";
import { emptyRecord, normalizeJson } from "../../src/parse/normalize.js";

const SOURCE: Source = { index: 0, label: "t", path: "t", labelled: false };

function record(fields: Record<string, unknown>): LogRecord {
  const line = JSON.stringify({
    time: "2025-11-04T09:12:00.000000Z",
    level: "INFO",
    target: "dynamo_llm::http",
    message: "request done",
    ...fields,
  });
  const rec = emptyRecord(SOURCE, 1, line);
  normalizeJson(rec, line, 0);
  return rec;
}

function keeps(expression: string, fields: Record<string, unknown>): boolean {
  return compileWhere(parseWhere(expression))(record(fields));
}

test("= and != compare text; != holds when the key is absent", () => {
  assert.ok(keeps("x_request_id=abc", { x_request_id: "abc" }));
  assert.not.ok(keeps("x_request_id=abc", { x_request_id: "abcd" }));
  assert.ok(keeps("x_request_id!=abc", { x_request_id: "abcd" }));
  assert.ok(keeps("x_request_id!=abc", {}));
  assert.ok(keeps("uri=/v1/a=b", { uri: "/v1/a=b" }), "the first operator splits");
});

test("~ contains, ~= searches with a regular expression", () => {
  assert.ok(keeps("message~done", {}));
  assert.not.ok(keeps("message~DONE", {}));
  assert.ok(keeps("target~=^dynamo_(llm|runtime)::", {}));
  assert.not.ok(keeps("target~=^http", {}));
});

test("orderings compare numbers, and durations through the key's unit or the value's", () => {
  assert.ok(keeps("ttft_ms>500", { ttft_ms: 501 }));
  assert.not.ok(keeps("ttft_ms>500", { ttft_ms: 500 }));
  assert.ok(keeps("ttft_ms>=500", { ttft_ms: 500 }));
  assert.ok(keeps("ttft_ms<0.5s", { ttft_ms: 499 }));
  assert.ok(keeps("time.duration_us>2s", { "time.duration_us": 2_000_001 }));
  assert.not.ok(keeps("time.duration_us>2000000", { "time.duration_us": 2_000_000 }));
  assert.ok(keeps("time.busy<=1ms", { "time.busy": "950µs" }));
  assert.not.ok(keeps("ttft_ms>500", { ttft_ms: "fast" }), "not a number: no match");
  assert.not.ok(keeps("ttft_ms>500", {}), "absent: no match");
});

test("level compares by severity", () => {
  assert.ok(keeps("level>=warn", { level: "ERROR" }));
  assert.ok(keeps("level>=warn", { level: "WARN" }));
  assert.not.ok(keeps("level>=warn", { level: "INFO" }));
  assert.ok(keeps("level<info", { level: "DEBUG" }));
  assert.ok(keeps("level=warn", { level: "WARN" }));
  assert.ok(keeps("level!=warn", { level: "INFO" }));
});

test("a regular expression runs in linear time on a hostile value", () => {
  const started = process.hrtime.bigint();
  assert.not.ok(keeps("message~=(a+)+b", { message: `${"a".repeat(5000)}c` }));
  // A backtracking engine takes far longer than this on 5000 characters (2^5000 paths).
  assert.ok(process.hrtime.bigint() - started < 5_000_000_000n);
});

test("bad expressions name what is wrong and where", () => {
  const fails = (expression: string, position: number, reason: RegExp) => {
    try {
      parseWhere(expression);
    } catch (err) {
      assert.instance(err, WhereSyntaxError);
      assert.is((err as WhereSyntaxError).position, position, expression);
      assert.match((err as WhereSyntaxError).reason, reason);
      return;
    }
    assert.unreachable(`${expression} parsed`);
  };
  fails("ttft_ms", 7, /expected an operator/);
  fails("=abc", 0, /expected a key/);
  fails("ttft_ms>abc", 8, /expected a number or a duration/);
  fails("message~=(a", 9, /invalid regular expression: missing closing \)/);
  fails("level>=loud", 7, /expected a level/);
});

test.run();
