/**
 * Values as Dynamo's readable form prints them: floats as Rust's `{:?}` of an f64, strings that
 * are `{:?}` literals as those literals; and where a readable line's message ends.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Field, Source } from "../../src/model/record.js";
import { emptyRecord } from "../../src/parse/normalize.js";
import { parseReadable } from "../../src/parse/readable.js";
import { formatFieldValue } from "../../src/render/dynamo-layout.js";
import { isDebugLiteral } from "../../src/render/rust-escape.js";
import { formatNumberToken, rustDebugFloat } from "../../src/render/rust-float.js";

const SOURCE: Source = { index: 0, label: "s", path: "s", labelled: false };

test("floats print as Rust's {:?} of an f64: exponent form below 1e-4 and from 1e16", () => {
  const cases: [number, string][] = [
    [1e20, "1e20"],
    [1.5e-7, "1.5e-7"],
    [-0, "-0.0"],
    [0, "0.0"],
    [100, "100.0"],
    [1, "1.0"],
    [0.1, "0.1"],
    [0.3, "0.3"],
    [2 / 3, "0.6666666666666666"],
    [1e16, "1e16"],
    [-2.5e16, "-2.5e16"],
    [9999999999999998, "9999999999999998.0"],
    [1e15, "1000000000000000.0"],
    [123456789012345680, "1.2345678901234568e17"],
    [0.0001, "0.0001"],
    [0.00009999, "9.999e-5"],
    [1e-5, "1e-5"],
    [-1e-5, "-1e-5"],
    [5e-324, "5e-324"],
    [1.7976931348623157e308, "1.7976931348623157e308"],
    [1234.5678, "1234.5678"],
    [12345678.9, "12345678.9"],
    [0.75, "0.75"],
    [1e21, "1e21"],
    [1e-7, "1e-7"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "inf"],
    [Number.NEGATIVE_INFINITY, "-inf"],
  ];
  for (const [x, want] of cases) assert.is(rustDebugFloat(x), want, String(x));
  // Every power of ten on both sides of the thresholds, and a mantissa with digits.
  for (let p = -30; p <= 30; p++) {
    const x = Number(`1e${p}`);
    const y = Number(`1.25e${p}`);
    const exponent = p < -4 || p >= 16;
    assert.is(rustDebugFloat(x).includes("e"), exponent, `1e${p}`);
    assert.is(rustDebugFloat(y).includes("e"), exponent, `1.25e${p}`);
    assert.is(Number(rustDebugFloat(y)), y, `1.25e${p} reads back`);
  }
});

test("a JSON number token: integers as written, floats reformatted", () => {
  assert.is(formatNumberToken("18446744073709551615"), "18446744073709551615");
  assert.is(formatNumberToken("-9223372036854775808"), "-9223372036854775808");
  assert.is(formatNumberToken("100000000000000000000.0"), "1e20");
  assert.is(formatNumberToken("1e15"), "1000000000000000.0");
  assert.is(formatNumberToken("1.0"), "1.0");
  assert.is(formatNumberToken("1.5E-7"), "1.5e-7");
  assert.is(formatNumberToken("-0.0"), "-0.0");
});

const str = (key: string, text: string): Field => ({
  key,
  kind: "string",
  raw: JSON.stringify(text),
  text,
});

test("a string that is a {:?} literal prints as that literal, any other is quoted", () => {
  assert.is(formatFieldValue(str("endpoint", '"http://tempo:4317"')), '"http://tempo:4317"');
  assert.is(formatFieldValue(str("e", '"say \\"hi\\""')), '"say \\"hi\\""');
  assert.is(formatFieldValue(str("e", '"tab\\there"')), '"tab\\there"');
  assert.is(formatFieldValue(str("e", '""')), '""');
  // Not what {:?} would print: quoted again.
  assert.is(formatFieldValue(str("e", '"a"b"')), '"\\"a\\"b\\""');
  assert.is(formatFieldValue(str("e", '"tab\there"')), '"\\"tab\\there\\""');
  assert.is(formatFieldValue(str("e", '"')), '"\\""');
  assert.is(formatFieldValue(str("e", '"\\x41"')), '"\\"\\\\x41\\""');
  assert.ok(isDebugLiteral('"\\u{1b}[31m"'));
  assert.not.ok(isDebugLiteral('"\x1b[31m"'));
});

function read(rest: string): [string, string[]] {
  const line = `2025-09-02T15:50:01.770028Z DEBUG ${rest}`;
  const rec = emptyRecord(SOURCE, 1, line);
  assert.ok(parseReadable(rec, line, 0), line);
  return [rec.message, rec.fields.map((f) => `${f.key}=${f.raw}`)];
}

test("a `, ` or `; ` before key=value words keeps them in the message", () => {
  assert.equal(read('h: t::x: received: prompt_tokens=1440, max_tokens=512 component="b"'), [
    "received: prompt_tokens=1440, max_tokens=512",
    ['component="b"'],
  ]);
  assert.equal(read("h: t::x: Decode finished: 312 tokens, finish_reason=stop n=1"), [
    "Decode finished: 312 tokens, finish_reason=stop",
    ["n=1"],
  ]);
  assert.equal(read("t::x: m a=1; b=2"), ["m a=1; b=2", []]);
  assert.equal(read("t::x: m a=1, b=2"), ["m a=1, b=2", []]);
  // A comma inside a value, or in a quoted value, is not a separator.
  assert.equal(read('t::x: m models=a,b e="x, y" k=1'), ["m", ['models="a,b"', 'e="x, y"', "k=1"]]);
  assert.equal(read("t::x: got x, then k=1"), ["got x, then", ["k=1"]]);
});

test.run();
