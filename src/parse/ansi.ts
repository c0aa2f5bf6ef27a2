/**
 * Removes terminal escape sequences from a line before it is parsed, so a readable-layout line
 * captured from a terminal (tracing-subscriber's colours) reads like the plain one. Recognised:
 * - CSI: ESC `[`, parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, one final byte
 *   0x40-0x7E (SGR colours are CSI sequences ending in `m`);
 * - strings: OSC (ESC `]`), DCS (ESC `P`), SOS (ESC `X`), PM (ESC `^`), APC (ESC `_`), up to BEL
 *   or ST (ESC `\`); an unterminated one runs to the end of the text, as a terminal would eat it;
 * - every other escape: ESC, any intermediate bytes 0x20-0x2F, one final byte (ESC `(B`, ESC `7`).
 * A truncated sequence is dropped as far as it goes. The caller keeps the raw line: this is only
 * for reading it.
 *
 * Receives: a string. Emits: the string without escape sequences (the same string when it has
 * no ESC, without copying).
 */

const ESC = 0x1b;
const BEL = 0x07;

/** Introducers of the escape strings that end at BEL or ST: `]`, `P`, `X`, `^`, `_`. */
function opensString(c: number): boolean {
  return c === 0x5d || c === 0x50 || c === 0x58 || c === 0x5e || c === 0x5f;
}

/** `s[i]` follows ESC `[`. Returns the index after the CSI sequence. */
function skipCsi(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x3f) i++;
    else return c >= 0x40 && c <= 0x7e ? i + 1 : i;
  }
  return i;
}

/** `s[i]` follows the introducer of an escape string. Returns the index after its terminator. */
function skipString(s: string, i: number): number {
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === BEL) return i + 1;
    if (c === ESC && s.charCodeAt(i + 1) === 0x5c) return i + 2;
  }
  return i;
}

/** `s[i]` follows ESC and is not `[` or a string introducer. Returns the index after it. */
function skipOther(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x2f) i++;
    else return c >= 0x30 && c <= 0x7e ? i + 1 : i;
  }
  return i;
}

/** `s[i]` is ESC. Returns the index after the sequence it starts. */
function skipSequence(s: string, i: number): number {
  const c = s.charCodeAt(i + 1);
  if (c === 0x5b) return skipCsi(s, i + 2);
  if (opensString(c)) return skipString(s, i + 2);
  return skipOther(s, i + 1);
}

export function stripAnsi(text: string): string {
  let esc = text.indexOf("\x1b");
  if (esc < 0) return text;
  let out = "";
  let kept = 0;
  while (esc >= 0) {
    out += text.slice(kept, esc);
    kept = skipSequence(text, esc);
    esc = text.indexOf("\x1b", kept);
  }
  return out + text.slice(kept);
}
