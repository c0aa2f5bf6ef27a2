/**
 * Terminal width of text, fast: `string-width` costs microseconds a call (ANSI stripping, emoji
 * and East Asian width tables), and a table of 200 000 rows asks millions of times. Printable
 * ASCII and the one-column characters dynlog draws with (box drawing, blocks, `…`, `·`, `µ`, `≥`,
 * `—`) are one column each, also when styled; anything else goes to string-width.
 *
 * Receives: text (possibly styled with ANSI). Emits: columns.
 */
import type stringWidthOf from "string-width";
import { onFirstUse } from "../model/dependencies.js";

/** string-width, loaded the first time a text is not plain (see model/dependencies.ts). */
export const stringWidth = (text: string): number => loadStringWidth()(text);
const loadStringWidth = onFirstUse(
  "string-width",
  (exports: { default: typeof stringWidthOf }) => exports.default,
);

const ONE_COLUMN_EACH = /^[\x20-\x7e\u00b5\u00b7\u2014\u2026\u2265\u2500-\u259f]*$/;
/** SGR sequences (colour, bold, dim, reset): all the styling dynlog writes, and zero columns. */
const SGR = /\x1b\[[0-9;]*m/g;

export function displayWidth(text: string): number {
  if (ONE_COLUMN_EACH.test(text)) return text.length;
  // Styled text: measured without its styling when what is left is plain (a coloured view's
  // cells went to string-width one by one, a third of a coloured waterfall's time).
  if (text.includes("\x1b")) {
    const plain = text.replace(SGR, "");
    if (ONE_COLUMN_EACH.test(plain)) return plain.length;
  }
  return stringWidth(text);
}
