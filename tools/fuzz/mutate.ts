// Mutations for the fuzzer: what broken pipes, crashing writers and hostile inputs do to a log
// line. Lines are handled as latin1 strings (one character per byte), so byte-level edits and
// regular expressions mix, and invalid UTF-8 survives the round trip.
import { Rng } from "../gen/random.js";

/** Bytes worth flipping to: structure, controls, escapes, and bytes that are not UTF-8. */
const INTERESTING = [0x00, 0x0a, 0x0d, 0x1b, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x2c];
const BAD_BYTES = [0xff, 0xc0, 0xe2, 0x9b, 0x80, 0xed, 0x07, 0x08, 0x7f];
const KEYS = [
  "time",
  "level",
  "target",
  "message",
  "file",
  "line",
  "span_id",
  "parent_id",
  "trace_id",
  "span_name",
  "time.busy_us",
  "time.duration_us",
  "log.target",
  "__proto__",
  "constructor",
];
const VALUES = [
  "123",
  "-1.5e3",
  "1e400",
  "18446744073709551616",
  "null",
  "true",
  "[1,[2,{}]]",
  '{"a":{"b":[]}}',
  '""',
  '"SPAN_CLOSED"',
  '"SPAN_CREATED"',
  '"SPAN_FIRST_ENTRY"',
  '"\\u001b]52;c;eA==\\u0007"',
  '"\\u001b[2J\\r\\b"',
  '"\\ud800"',
  '"2025-13-45T99:99:99Z"',
  '"2025-11-04T09:12:04.305599"',
];
const HOSTILE = ["\x1b]52;c;eA==\x07", "\x1b[2J\x1b[H", "\x1b]0;t\x07", "\r", "\b\b", "\u009b2J"];
/** Small id pools, so mutated records collide: duplicates, cycles, orphans. */
const SPAN_IDS = ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc", "dddddddddddddddd"];
const TRACE_IDS = ["11111111111111111111111111111111", "22222222222222222222222222222222"];

export type Mutation = (line: string, rng: Rng, other: string) => string;

function at(rng: Rng, line: string): number {
  return rng.int(0, Math.max(0, line.length));
}

function utf8AsLatin1(text: string): string {
  return Buffer.from(text, "utf8").toString("latin1");
}

const flipByte: Mutation = (line, rng) => {
  const i = at(rng, line);
  const byte = rng.chance(0.6) ? rng.pick(INTERESTING) : rng.pick(BAD_BYTES);
  return line.slice(0, i) + String.fromCharCode(byte) + line.slice(i + 1);
};

const truncate: Mutation = (line, rng) => line.slice(0, at(rng, line));

const splice: Mutation = (line, rng, other) =>
  line.slice(0, at(rng, line)) + other.slice(at(rng, other));

const swapKey: Mutation = (line, rng) => {
  const from = rng.pick(KEYS);
  return line.replace(`"${from}":`, `"${rng.pick(KEYS)}":`);
};

const swapValue: Mutation = (line, rng) => {
  const matches = [...line.matchAll(/:("(?:[^"\\]|\\.)*"|-?[0-9.eE+-]+|true|false|null)/g)];
  if (matches.length === 0) return line;
  const m = rng.pick(matches);
  const start = (m.index ?? 0) + 1;
  return line.slice(0, start) + rng.pick(VALUES) + line.slice(start + (m[1] as string).length);
};

const deleteStructure: Mutation = (line, rng) => {
  const positions = [...line.matchAll(/["{}[\]:,]/g)].map((m) => m.index ?? 0);
  if (positions.length === 0) return line;
  const i = rng.pick(positions);
  return line.slice(0, i) + line.slice(i + 1);
};

const insertHostile: Mutation = (line, rng) => {
  const i = at(rng, line);
  const raw = rng.pick(HOSTILE);
  const text = rng.chance(0.5) ? utf8AsLatin1(raw) : JSON.stringify(raw).slice(1, -1);
  return line.slice(0, i) + text + line.slice(i);
};

const duplicateMember: Mutation = (line) => {
  const m = /"[^"\\]*":("(?:[^"\\]|\\.)*"|[^,}]*),/.exec(line);
  if (m === null) return line;
  return line.slice(0, m.index) + m[0] + line.slice(m.index);
};

const nest: Mutation = (line, rng) => {
  const depth = rng.pick([2, 50, 3000]);
  return line.replace(/:(\d+)/, `:${"[".repeat(depth)}$1${"]".repeat(depth)}`);
};

const collideIds: Mutation = (line, rng) =>
  line
    .replace(/"(span_id|parent_id)":"[0-9a-f]{16}"/g, (_m, key: string) =>
      rng.chance(0.7) ? `"${key}":"${rng.pick(SPAN_IDS)}"` : _m,
    )
    .replace(/"trace_id":"[0-9a-f]{32}"/g, () => `"trace_id":"${rng.pick(TRACE_IDS)}"`);

const MUTATIONS: readonly Mutation[] = [
  flipByte,
  truncate,
  splice,
  swapKey,
  swapValue,
  deleteStructure,
  insertHostile,
  duplicateMember,
  nest,
  collideIds,
  collideIds,
];

/** One to three mutations of `line`; `other` is a second corpus line to splice from. */
export function mutateLine(line: string, rng: Rng, other: string): string {
  let out = line;
  const count = rng.int(1, 3);
  for (let i = 0; i < count; i++) out = rng.pick(MUTATIONS)(out, rng, other);
  return out;
}

/** The PRNG of one iteration: replayable on its own from (seed, iteration). */
export function iterationRng(seed: number, iteration: number): Rng {
  return new Rng(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(iteration + 1, 0xc2b2ae35));
}

export { Rng };
