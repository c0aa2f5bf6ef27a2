/**
 * JSON documents for people and programs: `JSON.stringify(value, null, 2)`, written without
 * recursion (a trace can nest 100 000 spans deep; JSON.stringify would overflow the stack), with
 * what lies deeper than MAX_INDENT_DEPTH written compactly (indented JSON of a deep tree is
 * quadratic in size), and with DEL and C1 controls written as `\u` escapes so the text cannot
 * drive a terminal.
 *
 * Receives: a JSON-compatible value (objects, arrays, strings, numbers, booleans, null).
 * Emits: its text, identical to JSON.stringify's for documents shallower than the cap.
 */
import { jsonTerminalSafe } from "./jsonl-layout.js";

/** Nesting levels written indented; deeper ones are written compactly. */
const MAX_INDENT_DEPTH = 32;

interface Frame {
  /** An object's keys (its members with a value), or null for an array. */
  readonly keys: readonly string[] | null;
  /** The object, or the array. */
  readonly value: Readonly<Record<string, unknown>> | readonly unknown[];
  readonly count: number;
  readonly close: string;
  readonly depth: number;
  next: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object";
}

const NEWLINES = Array.from({ length: MAX_INDENT_DEPTH + 1 }, (_, d) => `\n${"  ".repeat(d)}`);

/** The break before an item at `depth`: a newline and indentation, or nothing when too deep. */
function newline(depth: number): string {
  return depth > MAX_INDENT_DEPTH ? "" : (NEWLINES[depth] as string);
}

/** The comma and break before an item at `depth` that is not its container's first. */
const COMMA_BREAKS = NEWLINES.map((line) => `,${line}`);
function commaBreak(depth: number): string {
  return depth > MAX_INDENT_DEPTH ? "," : (COMMA_BREAKS[depth] as string);
}

/** Distinct keys whose `"key": ` text is kept for reuse while one document is written. */
const KEY_TEXTS_KEPT = 4096;

/** Text gathered into pieces of about CHUNK characters. */
const CHUNK = 65536;

/**
 * Text built by appending: pieces are joined into chunks as they come, so a document of millions
 * of tokens does not hold millions of small strings at once.
 */
class TextBuffer {
  private current = "";

  push(text: string): void {
    this.current += text;
  }

  /** The text gathered since the last take, once there is a piece's worth (or `all`). */
  take(all = false): string | null {
    if (this.current.length < CHUNK && !(all && this.current !== "")) return null;
    const text = this.current;
    this.current = "";
    return text;
  }
}

function openValue(value: unknown, depth: number, out: TextBuffer): Frame | null {
  if (Array.isArray(value)) {
    if (value.length === 0) out.push("[]");
    else {
      out.push("[");
      return { keys: null, value, count: value.length, close: "]", depth, next: 0 };
    }
    return null;
  }
  if (isObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined);
    if (keys.length === 0) out.push("{}");
    else {
      out.push("{");
      return { keys, value, count: keys.length, close: "}", depth, next: 0 };
    }
    return null;
  }
  out.push(JSON.stringify(value) ?? "null");
  return null;
}

/**
 * `value` as indented JSON text, terminal-safe, in pieces of about 64 K characters made as they
 * are taken (a large document is written as it is made, never held whole).
 */
export function* jsonChunks(value: unknown): Generator<string> {
  const out = new TextBuffer();
  // `"key": ` (indented) and `"key":` (compact) texts by key: a document repeats a few keys.
  const keyTexts = [new Map<string, string>(), new Map<string, string>()];
  const keyText = (key: string, compact: boolean): string => {
    const texts = keyTexts[compact ? 1 : 0] as Map<string, string>;
    let text = texts.get(key);
    if (text === undefined) {
      text = `${JSON.stringify(key)}${compact ? ":" : ": "}`;
      if (texts.size < KEY_TEXTS_KEPT) texts.set(key, text);
    }
    return text;
  };
  const stack: Frame[] = [];
  const root = openValue(value, 0, out);
  if (root !== null) stack.push(root);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (frame.next >= frame.count) {
      out.push(newline(frame.depth));
      out.push(frame.close);
      stack.pop();
      continue;
    }
    const i = frame.next++;
    const depth = frame.depth + 1;
    out.push(i > 0 ? commaBreak(depth) : newline(depth));
    let item: unknown;
    if (frame.keys === null) item = (frame.value as readonly unknown[])[i];
    else {
      const key = frame.keys[i] as string;
      out.push(keyText(key, depth > MAX_INDENT_DEPTH));
      item = (frame.value as Readonly<Record<string, unknown>>)[key];
    }
    const child = openValue(item, depth, out);
    if (child !== null) stack.push(child);
    const piece = out.take();
    // Escaping is per character, so pieces can be made safe one by one.
    if (piece !== null) yield jsonTerminalSafe(piece);
  }
  const rest = out.take(true);
  if (rest !== null) yield jsonTerminalSafe(rest);
}

/** `value` as indented JSON text, terminal-safe. */
export function stringifyJson(value: unknown): string {
  return [...jsonChunks(value)].join("");
}
