/**
 * Text from logs must not drive the terminal: ESC (and with it CSI and OSC sequences such as an
 * OSC 52 clipboard write), other C0 controls, DEL and C1 controls, and bare CR are shown escaped
 * (`\x1b`, `\r`, `\u{9b}`). Used for everything data-derived that views print; over-long values
 * are cut with a visible ellipsis.
 */

const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
const UNSAFE_ALL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

function escapeControl(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code === 13) return "\\r";
  if (code < 0x80) return `\\x${code.toString(16).padStart(2, "0")}`;
  return `\\u{${code.toString(16)}}`;
}

/** Escapes controls; keeps tabs and (when `multiline`) newlines. */
export function terminalSafe(text: string, multiline = false): string {
  let out = UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeControl) : text;
  if (!multiline && (out.includes("\n") || out.includes("\t"))) {
    out = out.replace(/\n/g, "\\n").replace(/\t/g, "\\t");
  }
  return out;
}

/** `terminalSafe`, then cut to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  const safe = terminalSafe(text);
  if (max <= 0) return "";
  return safe.length <= max ? safe : `${safe.slice(0, Math.max(0, max - 1))}…`;
}
