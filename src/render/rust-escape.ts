/**
 * The two ways Dynamo's readable form escapes text:
 * - messages go through tracing-subscriber's escaping writer (0.3.20+): ESC, BEL, BS, FF and
 *   DEL..U+009F become `\x1b`, `\x07`, ... (`\u{85}` above ASCII); all else is written as is,
 *   including tabs, newlines and other C0 controls;
 * - `&str` field values are written with Rust's `{:?}`: quoted, `\"` `\\` `\n` `\r` `\t` `\0`,
 *   and `\u{..}` for characters Rust does not consider printable.
 */
import { unescapeDebug } from "../parse/readable-fields.js";

/** Characters tracing's message escaping rewrites. */
const MESSAGE_ESCAPED = /[\x07\x08\x0c\x1b\x7f-\x9f]/g;

export function escapeMessage(message: string): string {
  MESSAGE_ESCAPED.lastIndex = 0;
  if (!MESSAGE_ESCAPED.test(message)) return message;
  return message.replace(MESSAGE_ESCAPED, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x80 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
  });
}

/**
 * Rust's `char::escape_debug` as used by `<str as Debug>`: non-printable means general category
 * Cc, Cf, Cs, Co, Cn, Zl, Zp or Zs (except the space), plus grapheme extenders.
 */
const NEEDS_DEBUG_ESCAPE =
  /[\0-\x1f"\\\x7f-\xa0\xad]|[^ \P{Zs}]|[\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Grapheme_Extend}]|\p{Cs}/u;
const DEBUG_CHAR =
  /[\0-\x1f"\\\x7f-\xa0\xad]|[^ \P{Zs}]|[\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Grapheme_Extend}]|\p{Cs}/gu;

function escapeDebugChar(ch: string): string {
  switch (ch) {
    case "\0":
      return "\\0";
    case "\t":
      return "\\t";
    case "\r":
      return "\\r";
    case "\n":
      return "\\n";
    case '"':
      return '\\"';
    case "\\":
      return "\\\\";
    default:
      return `\\u{${(ch.codePointAt(0) as number).toString(16)}}`;
  }
}

/**
 * Whether `s` is itself what `{:?}` of some `&str` prints: quoted, and escaped exactly as Rust
 * escapes (so printing it as is cannot differ from Rust's output, nor let a control through).
 */
export function isDebugLiteral(s: string): boolean {
  if (s.length < 2 || s.charCodeAt(0) !== 34 || s.charCodeAt(s.length - 1) !== 34) return false;
  return debugQuote(unescapeDebug(s.slice(1, -1))) === s;
}

/** Printable ASCII other than `"` and `\`: nothing to escape, and cheap to check first. */
const PLAIN_ASCII = /^[ !#-[\]-~]*$/;

/** `format!("{:?}", s)` for a Rust `&str`. */
export function debugQuote(s: string): string {
  if (PLAIN_ASCII.test(s) || !NEEDS_DEBUG_ESCAPE.test(s)) return `"${s}"`;
  return `"${s.replace(DEBUG_CHAR, escapeDebugChar)}"`;
}
