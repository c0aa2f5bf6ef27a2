/**
 * One request's waterfall: a row per span on a shared time axis, each bar split into busy
 * (solid) and idle (striped) time, the critical path marked, subtrees folding, the axis zoomed
 * by dragging across the bars (double-click or 0 resets); a clicked span shows its attributes
 * and the records logged inside it. Flags are shown as the terminal view names them. Only the
 * rows in view are drawn (`VirtualRows`), so a request of 100 000 spans opens and scrolls smoothly.
 */
import { formatDuration, formatOffset, formatTick } from "../../render/durations.js";
import type { PageData, SpanData, TraceData } from "../data-shape.js";
import { el, fill, formatTime, serviceColour } from "./dom.js";
import { VirtualRows } from "./virtual-rows.js";

/** Ticks the axis aims at. */
const TICKS = 6;

/** A round tick spacing (1, 2 or 5 times a power of ten µs) giving at most TICKS ticks. */
function tickStep(span: number): number {
  const rough = span / TICKS;
  const power = 10 ** Math.floor(Math.log10(Math.max(1, rough)));
  for (const m of [1, 2, 5, 10]) if (m * power >= rough) return m * power;
  return 10 * power;
}

/** The height of a span's row (its label has two lines: names and timing). */
const ROW_PX = 40;

export class Waterfall {
  readonly element: HTMLElement;
  private trace: TraceData | null = null;
  private folded = new Set<number>();
  /** Whether each span has children (spans are in tree order, each parent before its children). */
  private parents = new Uint8Array(0);
  /** The spans shown, in order: all but those inside a folded subtree. */
  private visible: number[] = [];
  private from = 0;
  private to = 1;
  private selectedSpan = -1;
  private readonly header: HTMLElement;
  private readonly axis: HTMLElement;
  private readonly rows: HTMLElement;
  private readonly list: VirtualRows;
  private readonly details: HTMLElement;

  constructor(private readonly data: PageData) {
    this.header = el("div", "trace-header");
    this.axis = el("div", "axis");
    this.rows = el("div", "spans");
    this.rows.id = "spans";
    this.rows.tabIndex = 0;
    this.list = new VirtualRows(this.rows, ROW_PX, (p) => this.spanRow(this.visible[p] as number));
    this.details = el("div", "span-details");
    this.details.id = "span-details";
    this.element = el("section", "request", this.header, this.axis, this.rows, this.details);
    this.element.id = "request";
    this.element.hidden = true;
    this.element.tabIndex = -1;
    this.wireZoom();
    this.wireRows();
    this.element.addEventListener("keydown", (e) => {
      if (e.key === "0") this.zoom(0, this.length());
      else if (e.key === "+" || e.key === "=") this.zoomBy(0.5);
      else if (e.key === "-") this.zoomBy(2);
    });
  }

  private length(): number {
    const t = this.trace;
    return t === null ? 1 : Math.max(1, t.endUs - t.startUs);
  }

  /** Shows the request of summary row `row`; only its summary when it was not kept in detail. */
  show(row: number): void {
    const r = this.data.rows;
    const index = r.detail[row] as number;
    this.element.hidden = false;
    this.folded.clear();
    this.selectedSpan = -1;
    this.rows.scrollTop = 0;
    fill(this.details);
    if (index < 0) {
      this.trace = null;
      fill(
        this.header,
        el("h2", "", "Request ", el("span", "mono", r.traceId[row] as string)),
        el(
          "p",
          "muted",
          `Only the summary of this request is in the report (it is not among the ${this.data.detailLimit} slowest and had no error or open span). `,
          "dynlog trace ",
          el("span", "mono", r.traceId[row] as string),
          " with the same inputs shows all of it; dynlog report --detail N keeps more.",
        ),
      );
      fill(this.axis);
      this.visible = [];
      this.list.reset(0);
      return;
    }
    this.trace = this.data.traces[index] as TraceData;
    const t = this.trace;
    this.parents = new Uint8Array(t.spans.length);
    for (const s of t.spans) if (s.parent >= 0) this.parents[s.parent] = 1;
    fill(
      this.header,
      el("h2", "", "Request ", el("span", "mono", t.traceId)),
      el(
        "p",
        "facts",
        `request ${t.requestId || "—"} · start ${formatTime(t.startUs)} UTC · duration ${formatDuration(t.endUs - t.startUs)} · ${t.spans.length} spans · ${t.services.join(", ")}`,
      ),
      el(
        "p",
        "legend muted",
        legendSwatch("busy"),
        " busy ",
        legendSwatch("idle"),
        " idle ",
        legendSwatch("critical"),
        " critical path · drag across the bars to zoom, double-click (or 0) to reset · click a span for its records",
      ),
    );
    this.unfolded();
    this.zoom(0, this.length());
  }

  /** The spans to show after the folded set changed. */
  private unfolded(): void {
    const spans = (this.trace as TraceData).spans;
    const hidden = new Uint8Array(spans.length);
    const visible: number[] = [];
    for (let i = 0; i < spans.length; i++) {
      const parent = (spans[i] as SpanData).parent;
      if (parent >= 0 && (hidden[parent] === 1 || this.folded.has(parent))) hidden[i] = 1;
      else visible.push(i);
    }
    this.visible = visible;
    this.list.reset(visible.length);
  }

  private fold(span: number, fold: boolean): void {
    if (this.parents[span] !== 1 || this.folded.has(span) === fold) return;
    if (fold) this.folded.add(span);
    else this.folded.delete(span);
    this.unfolded();
  }

  private zoom(from: number, to: number): void {
    this.from = Math.max(0, from);
    this.to = Math.max(this.from + 1, Math.min(this.length(), to));
    this.draw();
  }

  private zoomBy(factor: number): void {
    const mid = (this.from + this.to) / 2;
    const half = ((this.to - this.from) * factor) / 2;
    this.zoom(mid - half, mid + half);
  }

  private wireZoom(): void {
    let startX = -1;
    const fraction = (x: number) => {
      const box = this.rows.getBoundingClientRect();
      const left = box.left + box.width * 0.4;
      return Math.min(1, Math.max(0, (x - left) / (box.width * 0.6)));
    };
    this.rows.addEventListener("mousedown", (e) => {
      if (fraction(e.clientX) <= 0 || e.button !== 0) return;
      startX = e.clientX;
    });
    window.addEventListener("mouseup", (e) => {
      if (startX < 0) return;
      const a = fraction(startX);
      const b = fraction(e.clientX);
      startX = -1;
      if (Math.abs(a - b) < 0.01) return;
      const span = this.to - this.from;
      this.zoom(this.from + Math.min(a, b) * span, this.from + Math.max(a, b) * span);
    });
    this.rows.addEventListener("dblclick", () => this.zoom(0, this.length()));
  }

  /** Clicks and keys on the span rows, one listener for all (rows come and go as they scroll). */
  private wireRows(): void {
    const spanAt = (position: number) => this.visible[position] ?? -1;
    this.rows.addEventListener("click", (e) => {
      const position = this.list.positionOf(e.target as Element);
      const span = spanAt(position);
      if (span < 0) return;
      if ((e.target as Element).closest("button.fold") !== null) {
        this.fold(span, !this.folded.has(span));
        this.list.reveal(position)?.focus({ preventScroll: true });
      } else this.select(span);
    });
    this.rows.addEventListener("keydown", (e) => {
      const position = this.list.positionOf(document.activeElement);
      const span = spanAt(position);
      const page = Math.max(1, Math.floor(this.rows.clientHeight / ROW_PX) - 1);
      let next = -1;
      if (e.key === "ArrowDown") next = Math.min(this.visible.length - 1, position + 1);
      else if (e.key === "ArrowUp") next = Math.max(0, position - 1);
      else if (e.key === "PageDown") next = Math.min(this.visible.length - 1, position + page);
      else if (e.key === "PageUp") next = Math.max(0, position - page);
      else if (e.key === "Home") next = 0;
      else if (e.key === "End") next = this.visible.length - 1;
      else if (span < 0) return;
      else if (e.key === "Enter") this.select(span);
      else if (e.key === "ArrowLeft") this.fold(span, true);
      else if (e.key === "ArrowRight") this.fold(span, false);
      else return;
      e.preventDefault();
      if (next >= 0) this.list.reveal(next)?.focus({ preventScroll: true });
    });
  }

  private select(span: number): void {
    this.selectedSpan = span;
    this.list.redraw();
    const t = this.trace as TraceData;
    this.showSpan(t.spans[span] as SpanData, t);
  }

  private draw(): void {
    const t = this.trace;
    if (t === null) return;
    const span = this.to - this.from;
    const ticks = el("div", "ticks");
    const step = tickStep(span);
    for (let at = Math.ceil(this.from / step) * step; at <= this.to; at += step) {
      const tick = el("span", "tick", formatTick(Math.round(at)));
      tick.style.left = `${((at - this.from) / span) * 100}%`;
      ticks.append(tick);
    }
    const zoomed = this.from > 0 || this.to < this.length();
    fill(this.axis, el("div", "label", zoomed ? "zoomed (double-click to reset)" : ""), ticks);
    this.list.redraw();
  }

  private spanRow(i: number): HTMLElement {
    const t = this.trace as TraceData;
    const s = t.spans[i] as SpanData;
    const hasChildren = this.parents[i] === 1;
    const folded = this.folded.has(i);
    const toggle = el("button", "fold", hasChildren ? (folded ? "▸" : "▾") : "");
    toggle.tabIndex = -1;
    toggle.disabled = !hasChildren;
    toggle.setAttribute("aria-label", folded ? "unfold" : "fold");
    const colour = serviceColour(this.data.services.indexOf(s.service));
    const dot = el("span", "dot");
    dot.style.background = colour;
    const flags = s.notes.map((n) => el("span", n.warn ? "flag" : "flag note", n.text));
    const duration = s.closed ? (s.duration ?? s.end - s.start) : s.end - s.start;
    const timing = el(
      "div",
      "span-timing",
      `${formatOffset(s.start)} · ${s.closed ? formatDuration(duration) : `open ≥${formatDuration(duration)}`}`,
      s.busy !== null ? ` · busy ${formatDuration(s.busy)} · idle ${formatDuration(s.idle)}` : "",
    );
    const label = el(
      "div",
      "span-label",
      toggle,
      dot,
      el("span", "service", s.service),
      el("span", "name", s.name),
      ...flags,
      s.errors > 0
        ? el("span", "flag flag-error", `${s.errors} error${s.errors > 1 ? "s" : ""}`)
        : null,
      s.warnings > 0
        ? el("span", "flag", `${s.warnings} warning${s.warnings > 1 ? "s" : ""}`)
        : null,
      timing,
    );
    label.style.paddingLeft = `${Math.min(s.depth, 30) * 14}px`;
    const track = el("div", "track");
    const range = this.to - this.from;
    const left = ((s.start - this.from) / range) * 100;
    const width = Math.max(0.2, (Math.max(0, s.end - s.start) / range) * 100);
    const bar = el("div", `bar${s.critical ? " critical" : ""}${s.closed ? "" : " open"}`);
    bar.style.left = `${Math.max(-1, Math.min(101, left))}%`;
    bar.style.width = `${Math.min(width, 102 - Math.max(-1, left))}%`;
    bar.style.setProperty("--c", colour);
    const total = (s.busy ?? 0) + (s.idle ?? 0);
    const busyShare = s.busy === null || total <= 0 ? 1 : s.busy / total;
    const busy = el("div", "busy");
    busy.style.width = `${busyShare * 100}%`;
    bar.append(busy, el("div", "idle"));
    track.append(bar);
    const row = el("div", `span-row${i === this.selectedSpan ? " selected" : ""}`, label, track);
    row.dataset["span"] = String(i);
    row.tabIndex = -1;
    if (hasChildren) row.setAttribute("aria-expanded", String(!folded));
    return row;
  }

  private showSpan(s: SpanData, t: TraceData): void {
    const attrs = el("table", "attributes");
    const facts: [string, string][] = [
      ["service", s.service],
      ["span id", s.id],
      ["parent id", s.parentId || "(none)"],
      ["start", `${formatTime(t.startUs + s.start)} UTC`],
      ["duration", s.closed ? formatDuration(s.duration) : "open"],
      ["busy", formatDuration(s.busy)],
      ["idle", formatDuration(s.idle)],
      ["target", s.target],
      ...s.attributes,
    ];
    for (const [k, v] of facts) attrs.append(el("tr", "", el("th", "", k), el("td", "", v)));
    const records = el("div", "records");
    for (const [offset, level, target, message, fields] of s.records) {
      const line = el(
        "div",
        `log level-${level.toLowerCase()}`,
        el("span", "offset", offset === null ? "" : formatOffset(offset)),
        el("span", "level", level),
        el("span", "target", target),
        el("span", "message", message),
      );
      for (const [k, v] of fields) line.append(el("span", "field", el("span", "key", k), "=", v));
      records.append(line);
    }
    if (s.moreRecords > 0) records.append(el("div", "muted", `… ${s.moreRecords} more records`));
    if (s.records.length === 0) records.append(el("div", "muted", "no records inside this span"));
    fill(
      this.details,
      el("h3", "", `${s.service} · `, s.name),
      attrs,
      el("h3", "", "Records"),
      records,
    );
  }
}

function legendSwatch(kind: string): HTMLElement {
  return el("span", `swatch swatch-${kind}`);
}
