/**
 * Fitting text to a width measured in terminal columns: cutting a cell at its end or in its
 * middle (names that differ at the end, such as `prefill_kv_transfer_a` and `…_b`, stay
 * distinct), the shortest unique prefix of a set of ids, and choosing which columns of a table
 * are shown, and how wide, within a budget.
 *
 * Receives: plain (already terminal-safe, unstyled) text. Emits: text no wider than asked.
 */
import { terminalSafe } from "./terminal-safe.js";
import { displayWidth, stringWidth } from "./width.js";

/** Column widths of each code point of `text`. */
function pieces(text: string): { chars: string[]; widths: number[] } {
  const chars = Array.from(text);
  return { chars, widths: chars.map((c) => stringWidth(c)) };
}

/** `text` cut at its end to `width` columns, with `…` where it was cut. */
export function cutEnd(text: string, width: number): string {
  if (width <= 0) return "";
  const w = displayWidth(text);
  if (w <= width) return text;
  if (w === text.length) return `${text.slice(0, width - 1)}…`;
  const { chars, widths } = pieces(text);
  let used = 0;
  let out = "";
  for (let i = 0; i < chars.length && used + (widths[i] as number) <= width - 1; i++) {
    out += chars[i];
    used += widths[i] as number;
  }
  return `${out}…`;
}

/**
 * `text` cut in its middle to `width` columns: a third of the room keeps its start, the rest its
 * end (where names usually differ), `…` between.
 */
export function cutMiddle(text: string, width: number): string {
  if (width <= 0) return "";
  const w = displayWidth(text);
  if (w <= width) return text;
  if (width < 4) return cutEnd(text, width);
  const room = width - 1;
  const headRoom = Math.floor(room / 3);
  const tailRoom = room - headRoom;
  if (w === text.length) return `${text.slice(0, headRoom)}…${text.slice(text.length - tailRoom)}`;
  const { chars, widths } = pieces(text);
  let head = "";
  let used = 0;
  for (let i = 0; i < chars.length && used + (widths[i] as number) <= headRoom; i++) {
    head += chars[i];
    used += widths[i] as number;
  }
  let tail = "";
  used = 0;
  for (let i = chars.length - 1; i >= 0 && used + (widths[i] as number) <= tailRoom; i--) {
    tail = chars[i] + tail;
    used += widths[i] as number;
  }
  return `${head}…${tail}`;
}

/**
 * Text from the data made terminal-safe and cut in the middle to `max` columns; a huge text is
 * trimmed to its two ends first, so a megabyte name is not measured whole.
 */
export function clipMiddle(text: string, max: number): string {
  const ends = text.length > max * 4 ? `${text.slice(0, max * 2)}${text.slice(-max * 2)}` : text;
  const safe = terminalSafe(ends);
  return ends === text ? cutMiddle(safe, max) : cutMiddle(`${safe}…`, max);
}

/**
 * The length of prefix that tells every id of `ids` apart (at least `least`, at most the longest
 * id): one length for all, so a column of them stays aligned, as `git log --abbrev` does.
 */
export function uniquePrefixLength(ids: readonly string[], least: number): number {
  const sorted = [...new Set(ids)].sort();
  let length = least;
  let longest = 0;
  for (let i = 0; i < sorted.length; i++) {
    const id = sorted[i] as string;
    longest = Math.max(longest, id.length);
    if (i === 0) continue;
    const before = sorted[i - 1] as string;
    let common = 0;
    while (common < id.length && common < before.length && id[common] === before[common]) common++;
    length = Math.max(length, common + 1);
  }
  return Math.min(length, Math.max(longest, least));
}

export interface ColumnNeed {
  /** The width of the widest cell (or heading). */
  natural: number;
  /** The narrowest the column may be cut to; `natural` when it may not be cut. */
  least: number;
  /** Lower is more important; columns of priority 0 are always shown. */
  priority: number;
  /**
   * How wide a column of priority 0 grows before the others are placed (default: natural), so
   * one long cell cannot crowd out every other column.
   */
  want?: number;
}

/**
 * Which columns fit in `budget` columns, `gap` apart, and how wide. Columns of priority 0 are
 * always shown: placed at their least width; then columns of priority 1 are placed if they fit;
 * then the columns of priority 0 are widened towards `want`. The others, in order of priority,
 * are taken whole if they fit, else at their least width if that fits, else left out.
 * The room left then widens the columns that were cut, most important first. Returns a width per
 * column, 0 for a column left out.
 */
export function fitColumns(needs: readonly ColumnNeed[], budget: number, gap: number): number[] {
  const order = needs.map((_, i) => i).sort((a, b) => needs[a]!.priority - needs[b]!.priority);
  const widths = needs.map(() => 0);
  let used = 0;
  const grow = (i: number, to: number) => {
    const more = Math.max(0, Math.min(budget - used, to - widths[i]!));
    widths[i]! += more;
    used += more;
  };
  const must = order.filter((i) => needs[i]!.priority === 0);
  for (const i of must) {
    widths[i] = Math.min(needs[i]!.least, needs[i]!.natural);
    used += widths[i]! + (used > 0 ? gap : 0);
  }
  const place = (i: number) => {
    const need = needs[i]!;
    const sep = used > 0 ? gap : 0;
    const least = Math.min(need.least, need.natural);
    if (used + sep + need.natural <= budget) widths[i] = need.natural;
    else if (used + sep + least <= budget) widths[i] = least;
    else return;
    used += sep + widths[i]!;
  };
  for (const i of order) if (needs[i]!.priority === 1) place(i);
  for (const i of must) grow(i, Math.min(needs[i]!.want ?? needs[i]!.natural, needs[i]!.natural));
  for (const i of order) if (needs[i]!.priority > 1) place(i);
  for (const i of order) if (widths[i]! > 0) grow(i, needs[i]!.natural);
  return widths;
}
