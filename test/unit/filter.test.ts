/** The filter module against every shared case (fast, in-process), plus dynlog's own rules. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EnvFilter } from "../../src/filter/env-filter.js";
import { RecordFilter } from "../../src/filter/record-filter.js";
import { parseWhere } from "../../src/filter/where.js";
import type { LogRecord, Source } from "../../src/model/record.js";
import { emptyRecord, normalizeJson } from "../../src/parse/normalize.js";
import { caseRecord, filterCases } from "../helpers/conformance.js";

const SOURCE: Source = { index: 0, label: "s", path: "s", labelled: false };

function record(json: string, label = "s"): LogRecord {
  const rec = emptyRecord(SOURCE, 1, json);
  if (!normalizeJson(rec, json, 0)) rec.kind = "unparsed";
  rec.label = label;
  return rec;
}

for (const [file, defaults] of [
  ["filter-cases.tsv", false],
  ["filter-dynamo-defaults-cases.tsv", true],
  ["filter-span-cases.tsv", false],
] as const) {
  test(`${file}: every single-span case decides as EnvFilter`, () => {
    const cases = filterCases(file).filter((c) => c.spans.length <= 1);
    const filters = new Map<string, EnvFilter>();
    for (const c of cases) {
      let f = filters.get(c.directives);
      if (!f) {
        f = new EnvFilter(c.directives, { dynamoDefaults: defaults });
        filters.set(c.directives, f);
      }
      for (const python of [false, true]) {
        const rec = record(caseRecord(c, "m", python));
        assert.is(f.enabled(rec), c.enabled, `${c.directives} | ${c.target} ${c.level} ${c.spans}`);
      }
    }
  });
}

test("target[span] directives: a record is decided by itself, no span target remembered", () => {
  const f = new EnvFilter("info,dynamo_llm[http-request]=debug");
  const marker = (level: string) =>
    record(
      `{"level":"${level}","target":"dynamo_llm::http::service","message":"SPAN_CREATED","span_id":"00000000000000aa","span_name":"http-request"}`,
    );
  const event = record(
    '{"level":"DEBUG","target":"dynamo_llm::x","message":"e","span_id":"00000000000000aa","span_name":"http-request"}',
  );
  assert.not.ok(f.enabled(event), "the span's target is not on the record");
  assert.ok(f.enabled(marker("DEBUG")), "a marker carries the span's target");
  assert.not.ok(f.enabled(event), "a marker seen before changes nothing");
});

test("a record's fields are built only when a directive names one", () => {
  const plain = new EnvFilter("info,dynamo_llm=debug,[http-request]=trace");
  const rec = record('{"level":"DEBUG","target":"dynamo_llm::x","message":"m","a":1,"b":"x"}');
  assert.ok(plain.enabled(rec));
  assert.is((rec as unknown as { fieldCache: unknown }).fieldCache, null, "no fields built");
  const named = new EnvFilter("info,dynamo_llm[{a}]=debug");
  const other = record('{"level":"DEBUG","target":"dynamo_llm::x","message":"m","a":1}');
  assert.ok(named.enabled(other));
});

test("--where, --since/--until, and unparsed lines follow the record before them", () => {
  const filter = new RecordFilter({
    env: new EnvFilter("warn"),
    where: [parseWhere("component=backend")],
    sinceUs: Date.UTC(2025, 0, 1) * 1000,
    untilUs: null,
  });
  const keep = (json: string, label = "s") => filter.keep(record(json, label));
  assert.ok(keep("Traceback before any record"), "kept: nothing to follow yet");
  assert.ok(
    keep('{"time":"2025-06-01T00:00:00Z","level":"ERROR","message":"x","component":"backend"}'),
  );
  assert.ok(keep('  File "x.py", line 1'), "follows the kept error");
  assert.not.ok(
    keep('{"time":"2025-06-01T00:00:00Z","level":"INFO","message":"x","component":"backend"}'),
  );
  assert.not.ok(keep('  File "y.py", line 2'), "follows the dropped info");
  assert.ok(keep("other source's line", "other"), "each source has its own history");
  assert.not.ok(
    keep('{"time":"2025-06-01T00:00:00Z","level":"ERROR","message":"x","component":"prefill"}'),
  );
  assert.not.ok(
    keep('{"time":"2024-06-01T00:00:00Z","level":"ERROR","message":"x","component":"backend"}'),
  );
});

test.run();
