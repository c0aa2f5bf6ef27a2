/**
 * A share of the traces, for one of several worker threads that summarise the inputs together
 * (`traces`, `stats`): trace `t` belongs to share `hash(t) mod count`. Each worker reads every
 * input, but decodes and parses only the lines of its own traces, and drops the records of other
 * shares after parsing; a trace is summarised whole by one worker, so the shares' rows and
 * statistics add up to what one thread finds.
 *
 * A line is skipped before it is decoded only when it says unambiguously whose it is: one whole
 * JSON object on the line (`{` to `}`), with a single `"trace_id":"`, followed by a plain ASCII
 * value of another share, and no service announcement. (In a JSON line that text can only be a
 * key with a string value: a quote inside a string is escaped. Nested, it is not the record's
 * trace id, and the record has none: every share drops it.) Any other line is read and parsed.
 *
 * Receives: trace ids, and lines as bytes. Emits: whether they are this share's.
 */
import type { LineTest } from "../input/needle-lines.js";
import { ANNOUNCEMENT } from "../parse/record-stream.js";

const TRACE_KEY = Buffer.from('"trace_id":"');
/**
 * A service announcement's text starts with an upper-case letter, rare in JSON: searched by its
 * first word alone, the line scan is cheap (the whole text took as long as the rest of the test).
 * A line with the word is read, announcement or not.
 */
const ANNOUNCEMENT_ANCHOR = ANNOUNCEMENT.subarray(0, ANNOUNCEMENT.indexOf(" "));
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN = 123;
const CLOSE = 125;

/** FNV-1a over 16-bit units: the same for an ASCII id as text and as bytes. */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const fnv = (h: number, unit: number): number => Math.imul(h ^ unit, FNV_PRIME);

/**
 * The share of a hash, after a final mix: FNV-1a's low bits are weak (its lowest is the parity
 * of the odd bytes it took in), and the share is taken modulo a small count.
 */
function shareOf(h: number, count: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x45d9f3b);
  x ^= x >>> 16;
  return (x >>> 0) % count;
}

export class TraceShare {
  constructor(
    readonly index: number,
    readonly count: number,
  ) {}

  /** Whether trace `traceId` is this share's. */
  mine(traceId: string): boolean {
    let h = FNV_OFFSET;
    for (let i = 0; i < traceId.length; i++) h = fnv(h, traceId.charCodeAt(i));
    return shareOf(h, this.count) === this.index;
  }

  /**
   * The test for an input's matching lines: another share's line (as told above) is skipped,
   * except while `readAll()` says every line must be read (an input not yet known to have span
   * events: the first span marker of any trace tells).
   */
  lineTest(readAll: () => boolean): LineTest {
    return (buf, start, end) => readAll() || !this.othersLine(buf, start, end);
  }

  private othersLine(buf: Buffer, start: number, end: number): boolean {
    if (end - start < 2 || buf[start] !== OPEN || buf[end - 1] !== CLOSE) return false;
    // Searched within the line: a search of the whole chunk would go on past it.
    const line = buf.subarray(start, end);
    const key = line.indexOf(TRACE_KEY);
    if (key < 0) return false;
    let h = FNV_OFFSET;
    let at = key + TRACE_KEY.length;
    for (; at < line.length; at++) {
      const c = line[at] as number;
      if (c === QUOTE) break;
      if (c === BACKSLASH || c >= 0x80) return false;
      h = fnv(h, c);
    }
    if (at >= line.length || line.indexOf(TRACE_KEY, at) >= 0) return false;
    if (line.indexOf(ANNOUNCEMENT_ANCHOR) >= 0) return false;
    return shareOf(h, this.count) !== this.index;
  }
}
