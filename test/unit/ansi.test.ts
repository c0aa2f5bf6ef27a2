import { test } from "uvu";
import * as assert from "uvu/assert";
import { stripAnsi } from "../../src/parse/ansi.js";

test("no ESC: the same string back", () => {
  const s = "plain \\x1b text: k=v";
  assert.is(stripAnsi(s), s);
});

test("CSI, OSC, string and two-character sequences are removed", () => {
  assert.is(stripAnsi("\x1b[2mT\x1b[0m \x1b[32m INFO\x1b[0m"), "T  INFO");
  assert.is(stripAnsi("a\x1b[38;5;196mb\x1b[1;4mc\x1b[Kd\x1b[?25le"), "abcde");
  assert.is(stripAnsi("\x1b]8;;http://x\x07link\x1b]8;;\x1b\\ end"), "link end");
  assert.is(stripAnsi("\x1bP1$r\x1b\\x\x1b_apc\x07y"), "xy");
  assert.is(stripAnsi("\x1b(Ba\x1b7b\x1b8c\x1bMd"), "abcd");
});

test("truncated sequences are dropped as far as they go", () => {
  assert.is(stripAnsi("end\x1b"), "end");
  assert.is(stripAnsi("end\x1b[31"), "end");
  assert.is(stripAnsi("a\x1b[31\nb"), "a\nb");
  assert.is(stripAnsi("a\x1b]unterminated title"), "a");
});

test.run();
