/**
 * Seeded random round trip: record → readable line (renderDynamoLine) → record. The generator
 * stays inside the part of the layout that has one reading (no `=` in messages, a span only with
 * a target that outranks it, no fields on a bridged Python record, a message-less record always
 * with a quoted value); each ambiguity outside it is pinned by readable.test.ts.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LEVEL_NAMES, type Level } from "../../src/model/level.js";
import type { Field, LogRecord, Source, ValueKind } from "../../src/model/record.js";
import { emptyRecord } from "../../src/parse/normalize.js";
import { parseReadable } from "../../src/parse/readable.js";
import {
  formatFieldValue,
  renderDynamoLine,
  timeAsWritten,
} from "../../src/render/dynamo-layout.js";
import { ANSI_STYLE, PLAIN_STYLE } from "../../src/render/layout-style.js";
import { Rng } from "../../tools/gen/random.js";

const SOURCE: Source = { index: 0, label: "s", path: "s", labelled: false };

/** The fixture generator's seeded numbers, so a failure names a reproducible case. */
function generator(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

const random = generator(20250902);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const count = (max: number) => Math.floor(random() * (max + 1));

const RUST_TARGETS = ["dynamo_runtime", "dynamo_llm::kv_router::scheduler", "a::b_c::d9"];
const OTHER_TARGETS = ["main.init", "dynamo.frontend.prepost", "my logger"];
/** Spans rank below a target with `::` (parse/readable.ts rule 2), so only those go with them. */
const SPANS = ["http-request", "handle_payload", "my span::x", "client_request"];
const PIECES = [
  "word",
  " ",
  "  ",
  '"q"',
  "C:\\path",
  "\t",
  "\n",
  "\r\n",
  "\x1b[31m",
  "\x07",
  "\x08",
  "\x0c",
  "\x7f",
  "\u0085",
  "\0",
  "é",
  "日本",
  "🦀",
  ":",
  ": ",
  "{}",
  "SPAN_CLOSED",
  "50%",
  "x,",
];
const KEYS = ["a", "k", "worker_id", "time.busy", "phase", "_x", "method", "uri", "version", "n9"];
const STRINGS = ["", "prefill", "a b", 'say "hi"\\', "\n\t\r\0", "\x1b\x7f\u200b", "é🦀", "1024"];
/** Integers as written, floats as Rust's `{:?}` prints them (what the readable form shows). */
const NUMBERS = [
  "0",
  "-7",
  "1.0",
  "1e20",
  "-0.0015",
  "1.5e-7",
  "18446744073709551615",
  "3866790875219207263",
];

function message(): string {
  let m = "";
  for (let n = count(6); n > 0; n--) m += pick(PIECES);
  return m;
}

/** A message ending in `,` before fields reads as an enumeration going on (readable-fields.ts). */
function endsInProse(m: string): boolean {
  return m.endsWith(",");
}

function time(): string {
  const us = Date.UTC(2020, 0, 1) * 1000 + Math.floor(random() * 2e14);
  const iso = new Date(Math.floor(us / 1000)).toISOString().slice(0, 19);
  const micros = String(us % 1_000_000).padStart(6, "0");
  return `${iso}.${micros}${pick(["Z", "+02:00", "-05:30"])}`;
}

function field(key: string): Field {
  // method/uri/version print bare when they can, so they hold strings as in Dynamo's span.
  const kinds: ValueKind[] = ["string", "string", "number", "bool", "null", "object", "array"];
  const kind = ["method", "uri", "version"].includes(key) ? "string" : pick(kinds);
  switch (kind) {
    case "string": {
      const text = key === "uri" ? pick(["/v1/chat/completions", "/a b"]) : pick(STRINGS);
      return { key, kind, raw: JSON.stringify(text), text };
    }
    case "number": {
      const raw = pick(NUMBERS);
      return { key, kind, raw, text: raw };
    }
    case "bool": {
      const raw = pick(["true", "false"]);
      return { key, kind, raw, text: raw };
    }
    default: {
      const raw = kind === "null" ? "null" : kind === "object" ? '{"a":[1,"b c"]}' : "[1, 2]";
      return { key, kind, raw, text: raw };
    }
  }
}

function record(): LogRecord {
  const rec = emptyRecord(SOURCE, 1, "");
  rec.kind = "text";
  rec.time = time();
  rec.level = (1 + count(4)) as Level;
  rec.levelText = LEVEL_NAMES[rec.level];
  rec.spanName = random() < 0.4 ? pick(SPANS) : "";
  if (rec.spanName !== "") rec.target = pick(RUST_TARGETS.slice(1));
  else rec.target = random() < 0.6 ? pick(RUST_TARGETS) : pick(OTHER_TARGETS);
  rec.message = message();
  // A target with a space ranks lowest: `my logger: word: x` would read `word` as the target.
  if (rec.target.includes(" ")) rec.message = rec.message.replaceAll(":", ";");
  const fields: Field[] = [];
  if (!OTHER_TARGETS.includes(rec.target) || rec.spanName !== "") {
    const keys = new Set<string>();
    for (let n = count(4); n > 0; n--) keys.add(pick(KEYS));
    for (const key of keys) fields.push(field(key));
  }
  rec.fields = fields;
  if (fields.length > 0 && endsInProse(rec.message)) rec.message += ".";
  const quoted = fields.some((f) => formatFieldValue(f).startsWith('"'));
  rec.hasMessage = !quoted || random() < 0.8;
  if (!rec.hasMessage) rec.message = "";
  return rec;
}

function readBack(line: string): LogRecord {
  const rec = emptyRecord(SOURCE, 1, line);
  assert.ok(parseReadable(rec, line, 0), JSON.stringify(line));
  return rec;
}

test("2000 random records survive render → parse, plain and coloured", () => {
  const seen = { noMessage: 0, emptyMessage: 0, span: 0, python: 0, fields: 0, bare: 0 };
  for (let i = 0; i < 2000; i++) {
    const want = record();
    if (!want.hasMessage) seen.noMessage++;
    else if (want.message === "" && want.fields.length > 0) seen.emptyMessage++;
    if (want.spanName !== "") seen.span++;
    if (OTHER_TARGETS.includes(want.target)) seen.python++;
    seen.fields += want.fields.length;
    seen.bare += want.fields.filter((f) => !formatFieldValue(f).startsWith('"')).length;
    const plain = renderDynamoLine(want, PLAIN_STYLE, timeAsWritten);
    for (const line of [plain, renderDynamoLine(want, ANSI_STYLE, timeAsWritten)]) {
      const got = readBack(line);
      const at = `#${i} ${JSON.stringify(line)}`;
      assert.equal(
        [got.time, got.level, got.levelText, got.spanName, got.target],
        [want.time, want.level, want.levelText, want.spanName, want.target],
        at,
      );
      assert.equal([got.hasMessage, got.message], [want.hasMessage, want.message], at);
      // Bare values lose their kind (a string "1024" prints like the number), never their text.
      assert.equal(
        got.fields.map((f) => [f.key, f.text]),
        want.fields.map((f) => [f.key, f.text]),
        at,
      );
      for (const [k, f] of got.fields.entries()) {
        const sent = want.fields[k];
        if (sent?.kind === "number") assert.equal([f.kind, f.raw], ["number", sent.raw], at);
      }
      assert.is(renderDynamoLine(got, PLAIN_STYLE, timeAsWritten), plain, at);
    }
  }
  // The generator reaches every shape it is meant to.
  for (const [shape, n] of Object.entries(seen)) assert.ok(n >= 20, `${shape}: ${n}`);
});

test.run();
