/**
 * Text from logs must not drive the terminal: ESC (and with it CSI and OSC sequences such as an
 * OSC 52 clipboard write or an OSC 8 link), other C0 controls, DEL and C1 controls, bare CR and
 * backspace are shown escaped (`\x1b`, `\r`, `\u{9b}`). Used for everything data-derived that
 * views print, and by `convert` when its output may reach a terminal; over-long values are cut
 * with a visible ellipsis.
 *
 * Three shapes of text: a single-line value (a table cell, a span name: tabs and newlines are
 * escaped too), a multi-line message (newlines, CRLF and tabs stay), and a raw line (tabs stay;
 * the line's own end-of-line is written separately). Invalid UTF-8 bytes of a raw line are shown
 * as `\xNN` (a lone 0x9b byte is CSI to an 8-bit terminal).
 */

const UNSAFE_SINGLE = /[\x00-\x1f\x7f-\x9f]/;
const UNSAFE_SINGLE_ALL = /[\x00-\x1f\x7f-\x9f]/g;
/** Multi-line text keeps LF, tab and a CR that ends a line (CRLF). */
const UNSAFE_MULTI = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)/;
const UNSAFE_MULTI_ALL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)/g;
/** A raw line keeps tabs only. */
const UNSAFE_LINE = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;
const UNSAFE_LINE_ALL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

function escapeControl(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code === 13) return "\\r";
  if (code === 10) return "\\n";
  if (code === 9) return "\\t";
  if (code < 0x80) return `\\x${code.toString(16).padStart(2, "0")}`;
  return `\\u{${code.toString(16)}}`;
}

/** Escapes controls. Single-line (the default): tabs and newlines too; multi-line keeps them. */
export function terminalSafe(text: string, multiline = false): string {
  if (multiline) {
    return UNSAFE_MULTI.test(text) ? text.replace(UNSAFE_MULTI_ALL, escapeControl) : text;
  }
  return UNSAFE_SINGLE.test(text) ? text.replace(UNSAFE_SINGLE_ALL, escapeControl) : text;
}

/** A raw line (no end-of-line) made safe: controls other than tab escaped. */
export function terminalSafeLine(line: string): string {
  return UNSAFE_LINE.test(line) ? line.replace(UNSAFE_LINE_ALL, escapeControl) : line;
}

/** Length of the valid UTF-8 sequence at `buf[i]` (Unicode table 3-7), or 0 when invalid. */
function utf8Length(buf: Buffer, i: number): number {
  const b = buf[i] as number;
  if (b < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const c = buf[i + k];
    return c !== undefined && c >= lo && c <= hi;
  };
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xf1 && b <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** A raw line of bytes that are not valid UTF-8, made safe: invalid bytes become `\xNN`. */
export function terminalSafeBytes(bytes: Buffer): string {
  let out = "";
  let run = 0;
  let i = 0;
  while (i < bytes.length) {
    const n = utf8Length(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += bytes.toString("utf8", run, i) + `\\x${(bytes[i] as number).toString(16)}`;
    i++;
    run = i;
  }
  return terminalSafeLine(out + bytes.toString("utf8", run, bytes.length));
}

/** `terminalSafe`, then cut to `max` characters with an ellipsis (never inside a surrogate pair). */
export function clip(text: string, max: number): string {
  if (max <= 0) return "";
  // Cut before escaping too: a 64 MiB value must not be copied whole to show 80 characters.
  const head = text.length > max * 8 ? text.slice(0, max * 8) : text;
  const safe = terminalSafe(head);
  if (safe.length <= max && head === text) return safe;
  let end = Math.max(0, max - 1);
  const last = safe.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${safe.slice(0, end)}…`;
}
