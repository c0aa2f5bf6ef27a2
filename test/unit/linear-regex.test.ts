/**
 * Span-field value patterns run in linear time (filter/linear-regex.ts) with the matchers crate's
 * rule: the leftmost match must end at the end of the value.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileLinearRegex, LinearRegexError } from "../../src/filter/linear-regex.js";
import { fieldMatches, parseValueMatch } from "../../src/filter/value-match.js";
import type { Field } from "../../src/model/record.js";

const str = (text: string): Field => ({
  key: "x",
  kind: "string",
  raw: JSON.stringify(text),
  text,
});

function matches(pattern: string, text: string): boolean {
  return fieldMatches(parseValueMatch(pattern), str(text));
}

test("a pattern that backtracks exponentially in RegExp finishes at once", () => {
  const hostile = `${"a".repeat(40)}c`;
  const started = process.hrtime.bigint();
  assert.is(matches("(a+)+b", hostile), false);
  assert.is(matches("(a|aa)+$", `${"a".repeat(5000)}!`), false);
  assert.is(matches("(x+x+)+y", "x".repeat(10000)), false);
  // Each took seconds to hours with a backtracking engine; linear time takes milliseconds.
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.ok(ms < 5000, `took ${ms} ms`);
});

test("the leftmost match must end at the end of the value", () => {
  assert.is(matches("ST", "POST"), true);
  assert.is(matches("PO", "POST"), false);
  assert.is(matches("ST", "STPOST"), false);
  assert.is(matches("a|ab", "ab"), false);
  assert.is(matches("ab|a", "ab"), true);
  assert.is(matches("\\APOST\\z", "POST"), true);
  assert.is(matches("^/v1/.*", "/v1/chat/completions"), true);
  assert.is(matches("é+", "café"), true);
  assert.is(matches("🦀", "x🦀"), true);
});

test("leading inline flags: i for the whole pattern, m and s kept, x dropped", () => {
  assert.is(matches("(?i)post", "POST"), true);
  assert.is(matches("post", "POST"), false);
  assert.is(matches("(?s)a.b", "a\nb"), true);
  assert.is(matches("a.b", "a\nb"), false);
  assert.is(matches("(?x)POST", "POST"), true);
});

test("an invalid pattern is an error naming the problem", () => {
  assert.throws(
    () => compileLinearRegex("a("),
    (e: unknown) => e instanceof LinearRegexError,
  );
  assert.throws(() => compileLinearRegex("a("), /missing closing \)/);
  const re = compileLinearRegex("b+");
  assert.equal(re.firstMatch("abbc"), [1, 3]);
  assert.is(re.test("xyz"), false);
});

test.run();
