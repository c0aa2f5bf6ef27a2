/**
 * Record → Dynamo's JSONL line (render/jsonl-layout.ts): every JSON record of the sample and
 * doc-example fixtures comes back byte for byte; readable records and escaping as serde writes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { LogRecord, Source } from "../../src/model/record.js";
import { emptyRecord, normalizeJson } from "../../src/parse/normalize.js";
import { parseReadable } from "../../src/parse/readable.js";
import { renderDynamoJsonl } from "../../src/render/jsonl-layout.js";
import { FIXTURES } from "../helpers/paths.js";

const SOURCE: Source = { index: 0, label: "s", path: "s", labelled: false };
const T = "2025-09-02T15:50:01.770028Z";

function json(line: string, from = 0): LogRecord | null {
  const rec = emptyRecord(SOURCE, 1, line);
  return normalizeJson(rec, line, from) ? rec : null;
}

function readable(line: string): LogRecord {
  const rec = emptyRecord(SOURCE, 1, line);
  assert.ok(parseReadable(rec, line, 0), line);
  return rec;
}

function lines(path: string): string[] {
  const text = readFileSync(path, "utf8");
  return (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
}

/** Every JSON line of a file round-trips; returns [records, skipped lines]. */
function roundTrip(path: string): [number, number] {
  let records = 0;
  let skipped = 0;
  for (const [i, line] of lines(path).entries()) {
    const from = line.indexOf("{");
    const rec = from < 0 ? null : json(line, from);
    if (rec === null) {
      skipped++;
      continue;
    }
    records++;
    assert.is(renderDynamoJsonl(rec), line.slice(from), `${path}:${i + 1}`);
  }
  return [records, skipped];
}

test("every JSON line of fixtures/sample round-trips byte for byte", () => {
  // Non-JSON lines per file (README): decode 10 (progress, traceback, empty), prefill 2 (the
  // torn record's halves), frontend none.
  assert.equal(roundTrip(`${FIXTURES}sample/frontend.jsonl`), [206, 0]);
  assert.equal(roundTrip(`${FIXTURES}sample/prefill.jsonl`), [132, 2]);
  assert.equal(roundTrip(`${FIXTURES}sample/decode.jsonl`), [202, 10]);
  // The docker-compose view: prefixed lines, the torn record whole.
  const [records] = roundTrip(`${FIXTURES}sample/mixed.log`);
  assert.is(records, 206 + 133 + 202);
});

test("every JSON line of fixtures/doc-example round-trips byte for byte", () => {
  for (const dir of ["created", "first-entry"]) {
    for (const file of readdirSync(`${FIXTURES}doc-example/${dir}`)) {
      const [records] = roundTrip(`${FIXTURES}doc-example/${dir}/${file}`);
      assert.ok(records > 0, file);
    }
  }
});

test("keys after message sort by code point, not by UTF-16 unit", () => {
  const line =
    '{"time":"T","level":"INFO","target":"t","message":"m","z":1,"é":2,"\uFFFD":3,"🦀":4}';
  assert.is(renderDynamoJsonl(json(line) as LogRecord), line);
  const shuffled =
    '{"message":"m","🦀":4,"target":"t","\uFFFD":3,"level":"INFO","z":1,"é":2,"time":"T"}';
  assert.is(renderDynamoJsonl(json(shuffled) as LogRecord), line);
});

test("strings escaped as serde_json escapes them; numbers and nested values as written", () => {
  const message = 'q" b\\ \n\r\t\b\f \x00\x01\x1f \x7f \u0085 \u2028 é 🦀 /';
  const rec = readable(`${T}  INFO t: m`);
  rec.message = message;
  rec.fields = [
    { key: "big", kind: "number", raw: "18446744073709551615", text: "18446744073709551615" },
    { key: "f", kind: "number", raw: "1.0", text: "1.0" },
    { key: "o", kind: "object", raw: '{"a": [1, 2]}', text: '{"a": [1, 2]}' },
  ];
  assert.is(
    renderDynamoJsonl(rec),
    `{"time":"${T}","level":"INFO","target":"t","message":"q\\" b\\\\ \\n\\r\\t\\b\\f \\u0000\\u0001\\u001f \x7f \u0085 \u2028 é 🦀 /","big":18446744073709551615,"f":1.0,"o":{"a": [1, 2]}}`,
  );
});

test("readable records: what the text knows, Dynamo's key order", () => {
  assert.is(
    renderDynamoJsonl(readable(`${T} TRACE dynamo_runtime::component: plain trace event`)),
    `{"time":"${T}","level":"TRACE","target":"dynamo_runtime::component","message":"plain trace event"}`,
  );
  assert.is(
    renderDynamoJsonl(
      readable(
        `${T} DEBUG http-request:handle_payload: dynamo_llm::kv: m x_request_id="r" instance_id=3866790875219207263 component="backend" span_id="00000000000000aa"`,
      ),
    ),
    `{"time":"${T}","level":"DEBUG","target":"dynamo_llm::kv","message":"m","component":"backend","instance_id":3866790875219207263,"span_id":"00000000000000aa","span_name":"handle_payload","x_request_id":"r"}`,
  );
  // A Python logger's record: the text has no log.* keys, so the target is written as shown.
  assert.is(
    renderDynamoJsonl(readable(`${T}  INFO main.init: VllmWorker initialized`)),
    `{"time":"${T}","level":"INFO","target":"main.init","message":"VllmWorker initialized"}`,
  );
  // An event without a message: Dynamo writes "message":"".
  assert.is(
    renderDynamoJsonl(readable(`${T}  INFO t: a=1 b="two"`)),
    `{"time":"${T}","level":"INFO","target":"t","message":"","a":1,"b":"two"}`,
  );
});

test.run();
