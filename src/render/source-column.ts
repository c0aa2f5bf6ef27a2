/**
 * The source column of `tail` (and of `convert --source`): each line's source label, one colour
 * per source, then ` │ `. Width rule: the column starts as wide as the widest input label and
 * never narrower than SOURCE_LEAST (12, so the usual launcher labels such as `frontend-1` and
 * `prefill-1`, which appear only as lines arrive, line up from the first line); a wider label
 * seen later widens it from that line on, up to SOURCE_MOST (24); longer labels are cut in the
 * middle (`vllm-…refill-12`), so labels that differ at their end stay apart. It never narrows.
 *
 * Receives: labels. Emits: the column's text for a line.
 */
import { cutMiddle } from "./fit.js";
import { displayWidth } from "./width.js";

export const SOURCE_LEAST = 12;
export const SOURCE_MOST = 24;
/** One SGR colour per source, in order of appearance. */
const PALETTE = [36, 35, 33, 32, 34, 31, 96, 95, 93, 92, 94, 91];

export class SourceColumn {
  private readonly colour = new Map<string, number>();
  private readonly text = new Map<string, string>();
  private width = SOURCE_LEAST;

  /**
   * `safe` makes a label printable (terminal-safe unless `--raw`); `ansi` colours it.
   */
  constructor(
    knownLabels: readonly string[],
    private readonly ansi: boolean,
    private readonly safe: (text: string) => string,
  ) {
    for (const label of knownLabels) this.widen(displayWidth(this.safe(label)));
  }

  private widen(width: number): void {
    this.width = Math.max(this.width, Math.min(width, SOURCE_MOST));
  }

  /** The column for a line from `label`, separator included. */
  cell(label: string): string {
    let shown = this.text.get(label);
    if (shown === undefined) {
      shown = cutMiddle(this.safe(label), SOURCE_MOST);
      this.widen(displayWidth(shown));
      this.text.set(label, shown);
    }
    const padded = shown + " ".repeat(Math.max(0, this.width - displayWidth(shown)));
    if (!this.ansi) return `${padded} │ `;
    let colour = this.colour.get(label);
    if (colour === undefined) {
      colour = PALETTE[this.colour.size % PALETTE.length] as number;
      this.colour.set(label, colour);
    }
    return `\x1b[${colour}m${padded}\x1b[0m │ `;
  }
}
