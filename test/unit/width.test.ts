/** Terminal width (src/render/width.ts): its fast paths give string-width's answer. */
import { Chalk } from "chalk";
import stringWidthOf from "string-width";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { displayWidth } from "../../src/render/width.js";

const TEXTS = [
  "",
  "plain ASCII",
  "├─ span · 12.5µs … ≥ 3 — █▌",
  "日本語のサービス",
  "é and e\u0301",
  "👩‍💻 emoji",
  "tab\there",
];

test("styled text is as wide as string-width says, in every colour depth", () => {
  for (const level of [1, 2, 3] as const) {
    const c = new Chalk({ level });
    for (const text of TEXTS) {
      for (const styled of [
        c.red(text),
        c.bold.dim(text),
        c.bgRgb(10, 20, 30).hex("#abcdef")(text),
        `${c.green("a")}${text}${c.ansi256(200)("b")}`,
        c.inverse(c.underline(text)),
      ]) {
        assert.is(displayWidth(styled), stringWidthOf(styled), JSON.stringify(styled));
      }
    }
  }
});

test("escapes other than colour, and broken ones, are measured by string-width", () => {
  for (const text of [
    "\x1b]8;;https://example.com\x07link\x1b]8;;\x07",
    "\x1b[2Jcleared",
    "\x1b[31",
    "a\x1bb",
    "\x1b[1;31mred\x1b[0m\x1b[K",
  ]) {
    assert.is(displayWidth(text), stringWidthOf(text), JSON.stringify(text));
  }
});

test("plain text of one-column characters is its length", () => {
  for (const text of TEXTS.slice(0, 3)) assert.is(displayWidth(text), text.length);
});

test.run();
