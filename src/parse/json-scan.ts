/**
 * A validating JSON scanner for one line holding one object. It does not build values: it records,
 * for each top-level member, where its key and its value token start and end, so callers can keep
 * number tokens exactly as written (`1.0`, `18446744073709551615`) and decode strings only when
 * they need them. It accepts exactly what `JSON.parse` accepts; nesting of any depth is skipped
 * iteratively (no recursion, so 100 000 levels cannot overflow the stack).
 *
 * Receives: a string and a start offset. Emits: a reused `ObjectScan` table, or `false`.
 */
import type { ValueKind } from "../model/record.js";

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const COLON = 58;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;

/** Member table of the last scanned object; reused from line to line to avoid allocation. */
export class ObjectScan {
  count = 0;
  keyStart = new Int32Array(32);
  keyEnd = new Int32Array(32);
  keyEscaped = new Uint8Array(32);
  valueStart = new Int32Array(32);
  valueEnd = new Int32Array(32);
  valueEscaped = new Uint8Array(32);
  valueKind: ValueKind[] = [];

  grow(): void {
    const size = this.keyStart.length * 2;
    this.keyStart = copyInto(new Int32Array(size), this.keyStart);
    this.keyEnd = copyInto(new Int32Array(size), this.keyEnd);
    this.keyEscaped = copyInto(new Uint8Array(size), this.keyEscaped);
    this.valueStart = copyInto(new Int32Array(size), this.valueStart);
    this.valueEnd = copyInto(new Int32Array(size), this.valueEnd);
    this.valueEscaped = copyInto(new Uint8Array(size), this.valueEscaped);
  }
}

function copyInto<T extends Int32Array | Uint8Array>(target: T, source: T): T {
  target.set(source);
  return target;
}

/** Set by `scanString`: whether the string just scanned contained a backslash escape. */
let lastStringEscaped = false;

function isWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function skipWhitespace(s: string, i: number): number {
  while (i < s.length && isWhitespace(s.charCodeAt(i))) i++;
  return i;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * Per-line facts that let `scanString` jump with native `indexOf` instead of walking characters:
 * whether the line has any control character (which JSON forbids raw in strings), and where the
 * next backslash is.
 */
let lineHasControl = true;
let nextBackslash = -1;

function prepareLine(s: string, from: number): void {
  lineHasControl = CONTROL.test(s);
  nextBackslash = s.indexOf("\\", from);
}

const CONTROL = /[\x00-\x1f]/;

/** `s[i]` is a quote. Returns the index after the closing quote, or -1. */
function scanString(s: string, i: number): number {
  if (!lineHasControl) {
    if (nextBackslash >= 0 && nextBackslash < i) nextBackslash = s.indexOf("\\", i);
    const close = s.indexOf('"', i + 1);
    if (close >= 0 && (nextBackslash < 0 || nextBackslash > close)) {
      lastStringEscaped = false;
      return close + 1;
    }
  }
  return scanStringSlowly(s, i);
}

function scanStringSlowly(s: string, i: number): number {
  let escaped = false;
  const n = s.length;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c === QUOTE) {
      lastStringEscaped = escaped;
      return j + 1;
    }
    if (c === BACKSLASH) {
      escaped = true;
      j++;
      if (j >= n) return -1;
      const e = s.charCodeAt(j);
      if (e === 117 /* u */) {
        if (j + 4 >= n) return -1;
        if (
          !isHex(s.charCodeAt(j + 1)) ||
          !isHex(s.charCodeAt(j + 2)) ||
          !isHex(s.charCodeAt(j + 3)) ||
          !isHex(s.charCodeAt(j + 4))
        ) {
          return -1;
        }
        j += 4;
      } else if (
        e !== QUOTE &&
        e !== BACKSLASH &&
        e !== 47 /* / */ &&
        e !== 98 /* b */ &&
        e !== 102 /* f */ &&
        e !== 110 /* n */ &&
        e !== 114 /* r */ &&
        e !== 116 /* t */
      ) {
        return -1;
      }
    } else if (c < 32) {
      return -1;
    }
  }
  return -1;
}

function scanDigits(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) break;
    i++;
  }
  return i;
}

/** Number grammar of RFC 8259. Returns the index after the number, or -1. */
function scanNumber(s: string, i: number): number {
  if (s.charCodeAt(i) === MINUS) i++;
  const first = s.charCodeAt(i);
  if (first === ZERO) {
    i++;
  } else if (first > ZERO && first <= NINE) {
    i = scanDigits(s, i + 1);
  } else {
    return -1;
  }
  if (s.charCodeAt(i) === 46 /* . */) {
    const after = scanDigits(s, i + 1);
    if (after === i + 1) return -1;
    i = after;
  }
  const e = s.charCodeAt(i);
  if (e === 101 || e === 69) {
    i++;
    const sign = s.charCodeAt(i);
    if (sign === 43 || sign === MINUS) i++;
    const after = scanDigits(s, i);
    if (after === i) return -1;
    i = after;
  }
  return i;
}

function scanLiteral(s: string, i: number, word: string): number {
  return s.startsWith(word, i) ? i + word.length : -1;
}

function closerOf(opener: number): number {
  return opener === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
}

/**
 * Skips a nested object or array starting at `s[i]`, validating it. Uses an explicit stack of
 * open containers instead of recursion.
 */
function scanContainer(s: string, i: number): number {
  const stack: number[] = [s.charCodeAt(i)];
  i++;
  // Right after an opener the matching closer may follow at once (`{}`, `[]`).
  let mayClose = true;
  for (;;) {
    i = skipWhitespace(s, i);
    let c = s.charCodeAt(i);
    const top = stack[stack.length - 1] as number;
    if (mayClose && c === closerOf(top)) {
      stack.pop();
      i++;
    } else {
      if (top === OPEN_BRACE) {
        if (c !== QUOTE) return -1;
        i = scanString(s, i);
        if (i < 0) return -1;
        i = skipWhitespace(s, i);
        if (s.charCodeAt(i) !== COLON) return -1;
        i = skipWhitespace(s, i + 1);
        c = s.charCodeAt(i);
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        stack.push(c);
        i++;
        mayClose = true;
        continue;
      }
      i = scanScalar(s, i);
      if (i < 0) return -1;
    }
    // After a complete value: a comma continues the innermost container, closers end containers.
    for (;;) {
      if (stack.length === 0) return i;
      i = skipWhitespace(s, i);
      const next = s.charCodeAt(i);
      if (next === COMMA) {
        i++;
        mayClose = false;
        break;
      }
      if (next !== closerOf(stack[stack.length - 1] as number)) return -1;
      stack.pop();
      i++;
    }
  }
}

/** A string, number or literal at `s[i]`; sets `lastKind`. */
let lastKind: ValueKind = "null";

function scanScalar(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) {
    lastKind = "string";
    return scanString(s, i);
  }
  if (c === MINUS || (c >= ZERO && c <= NINE)) {
    lastKind = "number";
    return scanNumber(s, i);
  }
  if (c === 116) {
    lastKind = "bool";
    return scanLiteral(s, i, "true");
  }
  if (c === 102) {
    lastKind = "bool";
    return scanLiteral(s, i, "false");
  }
  if (c === 110) {
    lastKind = "null";
    return scanLiteral(s, i, "null");
  }
  return -1;
}

function scanValue(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    // Set after the scan: the container's own scalars overwrite `lastKind` on the way.
    const end = scanContainer(s, i);
    lastKind = c === OPEN_BRACE ? "object" : "array";
    return end;
  }
  lastStringEscaped = false;
  return scanScalar(s, i);
}

/**
 * Scans `s` from `from` as exactly one JSON object followed only by whitespace. Fills `out` and
 * returns true, or returns false when the text is not such an object.
 */
export function scanObject(s: string, from: number, out: ObjectScan): boolean {
  out.count = 0;
  prepareLine(s, from);
  let i = skipWhitespace(s, from);
  if (s.charCodeAt(i) !== OPEN_BRACE) return false;
  i = skipWhitespace(s, i + 1);
  if (s.charCodeAt(i) === CLOSE_BRACE) {
    return skipWhitespace(s, i + 1) === s.length;
  }
  for (;;) {
    if (s.charCodeAt(i) !== QUOTE) return false;
    const keyEnd = scanString(s, i);
    if (keyEnd < 0) return false;
    const n = out.count;
    if (n === out.keyStart.length) out.grow();
    out.keyStart[n] = i;
    out.keyEnd[n] = keyEnd;
    out.keyEscaped[n] = lastStringEscaped ? 1 : 0;
    i = skipWhitespace(s, keyEnd);
    if (s.charCodeAt(i) !== COLON) return false;
    i = skipWhitespace(s, i + 1);
    const valueEnd = scanValue(s, i);
    if (valueEnd < 0) return false;
    out.valueStart[n] = i;
    out.valueEnd[n] = valueEnd;
    out.valueEscaped[n] = lastKind === "string" && lastStringEscaped ? 1 : 0;
    out.valueKind[n] = lastKind;
    out.count = n + 1;
    i = skipWhitespace(s, valueEnd);
    const c = s.charCodeAt(i);
    if (c === COMMA) {
      i = skipWhitespace(s, i + 1);
      continue;
    }
    if (c === CLOSE_BRACE) return skipWhitespace(s, i + 1) === s.length;
    return false;
  }
}

/** Decodes the JSON string token `s[start, end)` (quotes included). */
export function decodeString(s: string, start: number, end: number, escaped: boolean): string {
  if (!escaped) return s.slice(start + 1, end - 1);
  return JSON.parse(s.slice(start, end)) as string;
}

/**
 * Whether `text` has `name` at `start`. A loop the compiler inlines: `startsWith` with a position
 * was a third of the time spent on a record's keys.
 */
export function sameAt(text: string, start: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    if (text.charCodeAt(start + i) !== name.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * A fixed set of key names, recognised on a line's raw text without slicing it (the common keys
 * cost no string).
 */
export class KeyTable {
  /** Indexes of the names, by their length. */
  private readonly byLength: number[][] = [];

  constructor(readonly names: readonly string[]) {
    names.forEach((name, i) => {
      const list = this.byLength[name.length] ?? [];
      list.push(i);
      this.byLength[name.length] = list;
    });
  }

  /** The index of the name that the unescaped key token `s[start, end)` (quotes included) spells,
   *  or -1. */
  find(s: string, start: number, end: number): number {
    const candidates = this.byLength[end - start - 2];
    if (candidates === undefined) return -1;
    for (const i of candidates) if (sameAt(s, start + 1, this.names[i] as string)) return i;
    return -1;
  }

  /** The index of the member `k` of `scan`'s object (of `s`), escaped key or not; or -1. */
  member(s: string, scan: ObjectScan, k: number): number {
    const start = scan.keyStart[k] as number;
    const end = scan.keyEnd[k] as number;
    if (scan.keyEscaped[k] !== 1) return this.find(s, start, end);
    return this.names.indexOf(decodeString(s, start, end, true));
  }
}

/**
 * A bit for member `k`'s key, from its length and last character: keys with different bits
 * differ, so a line whose keys' bits never meet has no repeated key (the common case, told
 * without a string). An escaped key's spelling says little of the key: it gets every bit.
 */
export function keyBit(s: string, scan: ObjectScan, k: number): number {
  if (scan.keyEscaped[k] === 1) return -1;
  const end = scan.keyEnd[k] as number;
  return 1 << ((end - (scan.keyStart[k] as number) + s.charCodeAt(end - 2)) & 31);
}
