import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeString, ObjectScan, scanObject } from "../../src/parse/json-scan.js";
import { Rng } from "../../tools/gen/random.js";

const scan = new ObjectScan();

function accepts(text: string): boolean {
  return scanObject(text, 0, scan);
}

function jsonParseAcceptsObject(text: string): boolean {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === "object" && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

const SAMPLES = [
  "{}",
  ' { "a" : 1 } ',
  '{"a":1,"b":"x","c":true,"d":null,"e":[1,{"f":[]}],"g":{"h":{}}}',
  '{"a":-0.5e+10,"b":1E3,"c":0}',
  '{"s":"\\u00e9\\n\\"\\\\\\/"}',
  '{"a":01}',
  '{"a":1.}',
  '{"a":.5}',
  '{"a":-}',
  '{"a":1,}',
  '{"a" 1}',
  '{"a":"\\x"}',
  '{"a":"\\u12"}',
  '{"a":"tab\there"}',
  '{"a":tru}',
  '{"a":[1,]}',
  '{"a":[[],[{}]]}',
  '{"a":[1 2]}',
  '{"a":{"b":1,}}',
  '{"a":1}x',
  '{"a":1}{"b":2}',
  "[1,2]",
  '"str"',
  "42",
  "{",
  '{"a":"unterminated',
  '{"time":"2025-09-02T15:50:01.770028Z","level":"INFO"',
];

test("accepts exactly the objects JSON.parse accepts", () => {
  for (const text of SAMPLES) {
    assert.is(accepts(text), jsonParseAcceptsObject(text), text);
  }
});

test("keeps number tokens exactly as written", () => {
  const text = '{"big":18446744073709551615,"f":1.0,"e":1e20,"neg":-9223372036854775808}';
  assert.ok(accepts(text));
  const raws = [];
  for (let i = 0; i < scan.count; i++) {
    raws.push(text.slice(scan.valueStart[i], scan.valueEnd[i]));
  }
  assert.equal(raws, ["18446744073709551615", "1.0", "1e20", "-9223372036854775808"]);
});

test("reports kinds and decodes escaped strings", () => {
  const text = '{"k\\u0065y":"a\\nb","n":null,"o":{"x":1},"l":[],"b":false}';
  assert.ok(accepts(text));
  assert.equal(scan.valueKind.slice(0, scan.count), ["string", "null", "object", "array", "bool"]);
  assert.is(
    decodeString(text, scan.keyStart[0]!, scan.keyEnd[0]!, scan.keyEscaped[0] === 1),
    "key",
  );
  assert.is(
    decodeString(text, scan.valueStart[0]!, scan.valueEnd[0]!, scan.valueEscaped[0] === 1),
    "a\nb",
  );
});

test("skips deep nesting without recursion", () => {
  const depth = 100000;
  const text = `{"deep":${"[".repeat(depth)}${"]".repeat(depth)}}`;
  assert.ok(accepts(text));
  assert.not.ok(accepts(`{"deep":${"[".repeat(depth)}${"]".repeat(depth - 1)}}`));
});

test("grows its member table for wide objects", () => {
  const members = Array.from({ length: 500 }, (_, i) => `"k${i}":${i}`).join(",");
  assert.ok(accepts(`{${members}}`));
  assert.is(scan.count, 500);
});

/** The fixture generator's seeded numbers, so a failure names a reproducible case. */
function rng(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

test("agrees with JSON.parse on mutated lines (seeded)", () => {
  const base =
    '{"time":"2025-10-31T13:52:10.706000Z","level":"INFO","message":"a \\"q\\" \\\\ b\\u00e9","n":-1.5e3,"x":[1,{"y":null}],"t":true}';
  const alphabet = [
    '"',
    "\\",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\t",
    "\n",
    "\u0001",
    "a",
    "0",
    "-",
    "e",
    ".",
    " ",
    "u",
  ];
  const seed = 20251124;
  const random = rng(seed);
  for (let i = 0; i < 4000; i++) {
    const chars = [...base];
    const edits = 1 + Math.floor(random() * 3);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(random() * chars.length);
      const op = random();
      const ch = alphabet[Math.floor(random() * alphabet.length)] as string;
      if (op < 0.4) chars[at] = ch;
      else if (op < 0.7) chars.splice(at, 1);
      else chars.splice(at, 0, ch);
    }
    const text = chars.join("");
    const expected = jsonParseAcceptsObject(text);
    assert.is(accepts(text), expected, `seed ${seed} iteration ${i}: ${JSON.stringify(text)}`);
    if (expected) {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      for (let m = 0; m < scan.count; m++) {
        const key = decodeString(
          text,
          scan.keyStart[m]!,
          scan.keyEnd[m]!,
          scan.keyEscaped[m] === 1,
        );
        const raw = text.slice(scan.valueStart[m]!, scan.valueEnd[m]!);
        assert.equal(JSON.parse(raw), parsed[key], `${key} of ${text}`);
      }
    }
  }
});

test.run();
