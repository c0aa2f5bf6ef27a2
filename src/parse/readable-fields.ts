/**
 * The part of a readable-layout line after `target: `: the message, then ` key=value` fields.
 * The layout separates them with nothing but a space, so the split is a choice (documented in
 * parse/readable.ts); this module provides the pieces:
 * - `findFields` finds the maximal suffix of ` key=value` tokens;
 * - `fieldOf` turns one token into a `Field`;
 * - `unescapeMessage` and `unescapeDebug` undo tracing's message escaping and Rust's `{:?}`.
 *
 * Token grammar: a key is a tracing field name, `[A-Za-z_][A-Za-z0-9_.]*` (tracing drops the `r#`
 * of raw identifiers); a value is a Rust-quoted string (`"..."` with `\"` `\\` `\n` `\r` `\t` `\0`
 * `\'` `\u{..}` escapes, ended by a space or the end of the text), else a bare token that does
 * not open with a quote, running to the next space (possibly empty: `v=`). A token starts the
 * text or follows a space. A bare token never spans lines, and a quoted one cannot (Debug
 * escapes line breaks), so the fields always lie on the last line of the text.
 *
 * Where the message ends: tracing writes the message, then each field as ` key=value`, one space
 * apart; nothing else separates them. A Display or Debug value printed bare is one word, and no
 * word Rust prints for a lone value ends in `,` or `;` (a comma or semicolon inside a Debug
 * value is inside brackets, followed by a space, so never the end of a bare word). A `, ` or
 * `; ` before a `key=value` word is therefore prose: an enumeration in the message
 * (`received: prompt_tokens=1440, max_tokens=512`, `312 tokens, finish_reason=stop`). So a bare
 * value never ends in `,`/`;`, and the fields never start right after a word that does: they
 * start at the earliest word, after the last such separator, from which tokens run to the end.
 *
 * Receives: the text after `target: `. Emits: offsets and `Field` objects.
 */
import type { Field } from "../model/record.js";

const SPACE = 32;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const SEMICOLON = 59;

/** A field key followed by `=`, at a given offset. */
const KEY = /[A-Za-z_][A-Za-z0-9_.]*=/y;
/** JSON number syntax: such bare values are numbers, kept exactly as written. */
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
/** What tracing's message escaping writes (see render/rust-escape.ts `escapeMessage`). */
const MESSAGE_ESCAPE = /\\x(?:07|08|0c|1b|7f)|\\u\{(?:8|9)[0-9a-f]\}/g;
/** One escape of Rust's `char::escape_debug`. */
const DEBUG_ESCAPE = /\\(?:u\{([0-9a-fA-F]{1,6})\}|(.))/gsu;

/** One ` key=value` token: where its key, value and end are. */
export interface FieldToken {
  readonly keyStart: number;
  /** Offset of the `=`. */
  readonly keyEnd: number;
  /** The value, quotes included when quoted. */
  readonly valueStart: number;
  readonly end: number;
  readonly quoted: boolean;
}

/** `s[i]` is a quote. Returns the index after a well-formed Debug string, or -1. */
function scanQuoted(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === QUOTE) return j + 1;
    if (c === BACKSLASH) {
      const e = s[j + 1];
      if (e === "u") {
        const close = s.indexOf("}", j);
        if (s[j + 2] !== "{" || close < 0 || !/^[0-9a-fA-F]{1,6}$/.test(s.slice(j + 3, close))) {
          return -1;
        }
        j = close;
      } else if (e !== undefined && "\"\\nrt0'".includes(e)) {
        j++;
      } else {
        return -1;
      }
    } else if (c === 10 || c === 13) {
      return -1;
    }
  }
  return -1;
}

/** `c` ends a word of prose, never a bare value: a comma or a semicolon. */
function isProseSeparator(c: number): boolean {
  return c === COMMA || c === SEMICOLON;
}

/**
 * End of a bare value starting at `i`: the next space or the end; -1 if a line break comes first
 * or the value ends in a prose separator.
 */
function scanBare(s: string, i: number): number {
  let j = i;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === SPACE) break;
    if (c === 10 || c === 13) return -1;
    j++;
  }
  return j > i && isProseSeparator(s.charCodeAt(j - 1)) ? -1 : j;
}

/** Reads the token at `i`, or returns null when no ` key=value` token starts there. */
function readToken(s: string, i: number): FieldToken | null {
  KEY.lastIndex = i;
  if (!KEY.test(s)) return null;
  const eq = KEY.lastIndex - 1;
  const v = eq + 1;
  if (s.charCodeAt(v) === QUOTE) {
    // A value opening with a quote is a Debug string or no value at all: a broken one is text.
    const end = scanQuoted(s, v);
    if (end < 0 || (end < s.length && s.charCodeAt(end) !== SPACE)) return null;
    return { keyStart: i, keyEnd: eq, valueStart: v, end, quoted: true };
  }
  const end = scanBare(s, v);
  return end < 0 ? null : { keyStart: i, keyEnd: eq, valueStart: v, end, quoted: false };
}

/**
 * Reads tokens from `i` to the end of `s`; null when something else comes first. Token starts of
 * a failed run go into `failed`: a later run reaching one of them would fail the same way.
 */
function readRun(s: string, i: number, failed: Set<number>): FieldToken[] | null {
  const tokens: FieldToken[] = [];
  for (let at = i; ; ) {
    const token = failed.has(at) ? null : readToken(s, at);
    if (token === null) {
      for (const t of tokens) failed.add(t.keyStart);
      failed.add(at);
      return null;
    }
    tokens.push(token);
    if (token.end === s.length) return tokens;
    at = token.end + 1;
  }
}

function isKeyStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * The maximal suffix of `s` made of fields: the earliest offset, at the start of `s` or after a
 * space, from which ` key=value` tokens run to the end. Returns the tokens, or null when `s` does
 * not end with a field.
 */
export function findFields(s: string): FieldToken[] | null {
  if (s.indexOf("=") < 0) return null;
  const failed = new Set<number>();
  const lineStart = Math.max(s.lastIndexOf("\n"), s.lastIndexOf("\r")) + 1;
  // A token starts a word holding an `=`: jump from `=` to `=` instead of trying every word.
  let tried = -1;
  for (let eq = s.indexOf("=", lineStart); eq >= 0; eq = s.indexOf("=", eq + 1)) {
    const word = s.lastIndexOf(" ", eq) + 1;
    if (word === tried || word < lineStart || !isKeyStart(s.charCodeAt(word))) continue;
    tried = word;
    // After `, ` the word continues an enumeration in the message.
    if (word >= 2 && isProseSeparator(s.charCodeAt(word - 2))) continue;
    const run = readRun(s, word, failed);
    if (run !== null) return run;
  }
  return null;
}

/** Undoes `{:?}` of a `&str`: the text between the quotes of a well-formed Debug string. */
export function unescapeDebug(body: string): string {
  if (body.indexOf("\\") < 0) return body;
  return body.replace(DEBUG_ESCAPE, (_all, hex: string | undefined, ch: string | undefined) => {
    if (hex !== undefined) return String.fromCodePoint(Number.parseInt(hex, 16));
    switch (ch) {
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      case "0":
        return "\0";
      default:
        return ch ?? "";
    }
  });
}

/** Undoes tracing's message escaping: `\x1b` → ESC, `\u{85}` → U+0085, and only those. */
export function unescapeMessage(message: string): string {
  if (message.indexOf("\\") < 0) return message;
  return message.replace(MESSAGE_ESCAPE, (e) =>
    String.fromCharCode(Number.parseInt(e[1] === "x" ? e.slice(2) : e.slice(3, -1), 16)),
  );
}

/** The `Field` of a token: quoted → string; bare `true`/`false` → bool; JSON number → number. */
export function fieldOf(s: string, token: FieldToken): Field {
  const key = s.slice(token.keyStart, token.keyEnd);
  const value = s.slice(token.valueStart, token.end);
  if (token.quoted) {
    const text = unescapeDebug(value.slice(1, -1));
    return { key, kind: "string", raw: JSON.stringify(text), text };
  }
  if (value === "true" || value === "false") return { key, kind: "bool", raw: value, text: value };
  if (JSON_NUMBER.test(value)) return { key, kind: "number", raw: value, text: value };
  return { key, kind: "string", raw: JSON.stringify(value), text: value, display: true };
}
