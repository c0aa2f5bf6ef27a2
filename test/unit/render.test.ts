import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Source } from "../../src/model/record.js";
import { emptyRecord, normalizeJson } from "../../src/parse/normalize.js";
import { renderDynamoLine, timeAsWritten } from "../../src/render/dynamo-layout.js";
import { ANSI_STYLE, PLAIN_STYLE } from "../../src/render/layout-style.js";
import { debugQuote, escapeMessage } from "../../src/render/rust-escape.js";
import { checkZone, zoneRenderer } from "../../src/render/time-zone.js";

const SOURCE: Source = { index: 0, label: "s", path: "s", labelled: false };

function rec(json: string) {
  const r = emptyRecord(SOURCE, 1, json);
  assert.ok(normalizeJson(r, json, 0), json);
  return r;
}

test("message escaping: ESC BEL BS FF DEL and C1, nothing else", () => {
  assert.is(
    escapeMessage("a\x1b[31mb\x07\x08\x0c\x7f\u0085\u009f"),
    "a\\x1b[31mb\\x07\\x08\\x0c\\x7f\\u{85}\\u{9f}",
  );
  assert.is(escapeMessage("tab\tnl\ncr\rnul\0"), "tab\tnl\ncr\rnul\0");
  assert.is(escapeMessage("plain é 🦀"), "plain é 🦀");
});

test("&str Debug quoting as Rust prints it", () => {
  assert.is(debugQuote('say "hi"\\ \n\tend'), '"say \\"hi\\"\\\\ \\n\\tend"');
  assert.is(
    debugQuote("bell\x07 esc\x1b del\x7f nul\0"),
    '"bell\\u{7} esc\\u{1b} del\\u{7f} nul\\0"',
  );
  assert.is(
    debugQuote("nbsp\u00a0 zwsp\u200b é 日本 🦀 '"),
    '"nbsp\\u{a0} zwsp\\u{200b} é 日本 🦀 \'"',
  );
});

test("values: numbers exact, number-like strings bare, words quoted", () => {
  const r = rec(
    '{"time":"T","level":"INFO","target":"t","message":"m","a":1.0,"b":"1024","c":"prefill","d":true,"e":"","f":null,"method":"POST","uri":"/v1/x y"}',
  );
  assert.is(
    renderDynamoLine(r, PLAIN_STYLE, timeAsWritten),
    'T  INFO t: m a=1.0 b=1024 c="prefill" d=true e="" f="null" method=POST uri="/v1/x y"',
  );
});

test("a repeated key is shown once with its last value, an escaped spelling included", () => {
  for (const key of ['"k"', '"\\u006b"']) {
    const r = rec(`{"time":"T","level":"INFO","target":"t","message":"m","k":1,"a":0,${key}:2}`);
    assert.is(renderDynamoLine(r, PLAIN_STYLE, timeAsWritten), "T  INFO t: m k=2 a=0", key);
  }
});

test("coloured layout uses tracing-subscriber's terminal sequences", () => {
  const r = rec(
    '{"time":"T","level":"WARN","target":"dynamo_llm","message":"m","k":1,"span_id":"00000000000000aa","span_name":"http-request"}',
  );
  assert.is(
    renderDynamoLine(r, ANSI_STYLE, timeAsWritten),
    "\x1b[2mT\x1b[0m \x1b[33m WARN\x1b[0m \x1b[1mhttp-request\x1b[0m: \x1b[1mdynamo_llm\x1b[0m\x1b[2m:\x1b[0m m \x1b[3mk\x1b[0m\x1b[2m=\x1b[0m1",
  );
});

test("an empty message still takes its slot before the fields; an absent one does not", () => {
  assert.is(
    renderDynamoLine(
      rec('{"time":"T","level":"INFO","target":"t","message":"","a":1}'),
      PLAIN_STYLE,
      timeAsWritten,
    ),
    "T  INFO t:  a=1",
  );
  assert.is(
    renderDynamoLine(
      rec('{"time":"T","level":"INFO","target":"t","a":1}'),
      PLAIN_STYLE,
      timeAsWritten,
    ),
    "T  INFO t: a=1",
  );
});

test("time zones keep microseconds and cache per second", async () => {
  const r = rec('{"time":"2025-03-30T00:59:59.999999Z","level":"INFO","message":"m"}');
  const paris = await zoneRenderer("Europe/Paris");
  assert.is(paris(r), "2025-03-30T01:59:59.999999+01:00");
  const later = rec('{"time":"2025-03-30T01:00:00.000001Z","level":"INFO","message":"m"}');
  assert.is(paris(later), "2025-03-30T03:00:00.000001+02:00", "DST starts between the two");
  const utc = await zoneRenderer("UTC");
  assert.is(
    utc(rec('{"time":"2025-09-02T17:50:01.770028+02:00","level":"INFO","message":"m"}')),
    "2025-09-02T15:50:01.770028Z",
  );
  const untimed = rec('{"time":"yesterday","level":"INFO","message":"m"}');
  assert.is(paris(untimed), "yesterday");
  assert.throws(() => checkZone("Mars/Olympus"));
});

test.run();
