/**
 * Rows of one height in a scrolling box, drawn virtually: only the rows in view (and a few on
 * either side) exist as elements, so a list of 100 000 requests or spans scrolls as smoothly as
 * one of ten. The box's scroll height comes from a spacer as tall as every row; each drawn row
 * is placed at its position. Rows still in view are kept when the box scrolls (focus stays on
 * them); `redraw` builds them again after the list or its looks changed.
 */
import { el } from "./dom.js";

/** Rows drawn beyond either edge of the view. */
const OVERSCAN = 8;

export class VirtualRows {
  readonly spacer: HTMLElement;
  private count = 0;
  private readonly drawn = new Map<number, HTMLElement>();

  /** `row(position)` builds the element of the row at that position (0 = the first). */
  constructor(
    readonly scroller: HTMLElement,
    readonly rowPx: number,
    private readonly row: (position: number) => HTMLElement,
  ) {
    this.spacer = el("div", "spacer");
    scroller.append(this.spacer);
    scroller.addEventListener("scroll", () => this.draw());
  }

  get length(): number {
    return this.count;
  }

  /** A new list of `count` rows, drawn from scratch. */
  reset(count: number): void {
    this.count = count;
    this.spacer.style.height = `${count * this.rowPx}px`;
    this.redraw();
  }

  /** Draws every row in view again; the row that had the focus gets it back. */
  redraw(): void {
    const focused = this.positionOf(document.activeElement);
    this.drawn.clear();
    this.spacer.replaceChildren();
    this.draw();
    if (focused >= 0) this.drawn.get(focused)?.focus({ preventScroll: true });
  }

  /** The position of the drawn row holding `node`, or -1. */
  positionOf(node: Element | null): number {
    const row = node?.closest<HTMLElement>("[data-position]");
    return row === null || row === undefined || !this.spacer.contains(row)
      ? -1
      : Number(row.dataset["position"]);
  }

  /** The element of the row at `position`, drawn first if it is out of view (it is scrolled to). */
  reveal(position: number): HTMLElement | undefined {
    if (position < 0 || position >= this.count) return undefined;
    const top = position * this.rowPx;
    const box = this.scroller;
    if (top < box.scrollTop) box.scrollTop = top;
    else if (top + this.rowPx > box.scrollTop + box.clientHeight)
      box.scrollTop = top + this.rowPx - box.clientHeight;
    this.draw();
    return this.drawn.get(position);
  }

  private draw(): void {
    const top = this.scroller.scrollTop;
    const height = this.scroller.clientHeight || 400;
    const first = Math.max(0, Math.floor(top / this.rowPx) - OVERSCAN);
    const last = Math.min(this.count, Math.ceil((top + height) / this.rowPx) + OVERSCAN);
    for (const [position, element] of this.drawn) {
      if (position >= first && position < last) continue;
      element.remove();
      this.drawn.delete(position);
    }
    // The rows kept are one run of positions; new ones go before or after it, so the elements
    // stay in the order of their rows (for readers that follow the document) and none is moved.
    const kept = this.drawn.size > 0 ? Math.min(...this.drawn.keys()) : last;
    const before: HTMLElement[] = [];
    const after: HTMLElement[] = [];
    for (let p = first; p < last; p++) {
      if (this.drawn.has(p)) continue;
      const element = this.row(p);
      element.dataset["position"] = String(p);
      element.style.top = `${p * this.rowPx}px`;
      element.style.height = `${this.rowPx}px`;
      this.drawn.set(p, element);
      (p < kept ? before : after).push(element);
    }
    this.spacer.prepend(...before);
    this.spacer.append(...after);
  }
}
