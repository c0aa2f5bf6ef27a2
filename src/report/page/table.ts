/**
 * The requests table: every request, filtered (service, errors only, open only, minimum
 * duration, text over ids), sorted by a clicked column, drawn virtually (only the rows in view
 * exist), so 100 000 rows scroll smoothly. Arrow keys move the selection, Enter opens it.
 */
import { formatDuration } from "../../render/durations.js";
import type { PageData } from "../data-shape.js";
import { el, formatTime, parseDurationUs, serviceColour } from "./dom.js";
import { VirtualRows } from "./virtual-rows.js";

const ROW_PX = 26;

type SortKey = "start" | "duration" | "spans" | "problems" | "trace";

interface Column {
  head: string;
  key: SortKey | null;
  className: string;
}

const COLUMNS: Column[] = [
  { head: "Start (UTC)", key: "start", className: "c-start" },
  { head: "Trace", key: "trace", className: "c-trace" },
  { head: "Request", key: null, className: "c-request" },
  { head: "Root", key: null, className: "c-root" },
  { head: "Duration", key: "duration", className: "c-num" },
  { head: "Spans", key: "spans", className: "c-num" },
  { head: "Services", key: null, className: "c-services" },
  { head: "Warn/Err", key: "problems", className: "c-num" },
  { head: "Open", key: null, className: "c-open" },
];

export class RequestTable {
  readonly element: HTMLElement;
  private view: number[] = [];
  private sortKey: SortKey = "start";
  private descending = false;
  private selected = -1;
  private readonly list: VirtualRows;
  private readonly heads: HTMLElement[] = [];
  private readonly shown: HTMLElement;
  private readonly service: HTMLSelectElement;
  private readonly errors: HTMLInputElement;
  private readonly open: HTMLInputElement;
  private readonly minDuration: HTMLInputElement;
  readonly search: HTMLInputElement;

  constructor(
    private readonly data: PageData,
    private readonly onOpen: (row: number) => void,
  ) {
    this.service = el("select");
    this.service.id = "filter-service";
    this.service.append(new Option("all services", "-1"));
    data.services.forEach((s, i) => {
      this.service.append(new Option(s, String(i)));
    });
    this.errors = el("input");
    this.errors.type = "checkbox";
    this.errors.id = "filter-errors";
    this.open = el("input");
    this.open.type = "checkbox";
    this.open.id = "filter-open";
    this.minDuration = el("input");
    this.minDuration.id = "filter-min-duration";
    this.minDuration.placeholder = "min duration (250ms)";
    this.minDuration.size = 16;
    this.search = el("input");
    this.search.id = "filter-search";
    this.search.type = "search";
    this.search.placeholder = "trace or request id ( / )";
    this.search.size = 30;
    this.shown = el("span", "muted");
    this.shown.id = "rows-shown";
    const label = (input: HTMLElement, text: string) => el("label", "", input, text);
    const filters = el(
      "div",
      "filters",
      this.service,
      label(this.errors, " errors only"),
      label(this.open, " open only"),
      this.minDuration,
      this.search,
      this.shown,
    );
    for (const input of [this.service, this.errors, this.open, this.minDuration, this.search]) {
      input.addEventListener("input", () => this.refresh());
    }
    const header = el("div", "row head");
    for (const c of COLUMNS) {
      const cell = el("div", `cell ${c.className}`, c.head);
      if (c.key !== null) {
        const key = c.key;
        cell.classList.add("sortable");
        cell.tabIndex = 0;
        cell.dataset["sort"] = key;
        const sort = () => this.sortBy(key);
        cell.addEventListener("click", sort);
        cell.addEventListener("keydown", (e) => {
          if (e.key === "Enter" || e.key === " ") sort();
        });
      }
      this.heads.push(cell);
      header.append(cell);
    }
    const scroller = el("div", "scroller");
    scroller.id = "requests-scroller";
    scroller.tabIndex = 0;
    scroller.addEventListener("keydown", (e) => this.key(e));
    this.list = new VirtualRows(scroller, ROW_PX, (p) => this.rowElement(this.view[p] as number));
    this.list.spacer.addEventListener("click", (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>(".row");
      if (row?.dataset["row"] !== undefined) this.choose(Number(row.dataset["row"]), true);
    });
    this.element = el("section", "requests", el("h2", "", "Requests"), filters, header, scroller);
    this.element.id = "requests";
    this.refresh();
  }

  private sortBy(key: SortKey): void {
    if (this.sortKey === key) this.descending = !this.descending;
    else {
      this.sortKey = key;
      this.descending = key !== "start" && key !== "trace";
    }
    this.refresh();
  }

  private matches(): number[] {
    const r = this.data.rows;
    const service = Number(this.service.value);
    const errorsOnly = this.errors.checked;
    const openOnly = this.open.checked;
    const min = parseDurationUs(this.minDuration.value) ?? 0;
    this.minDuration.classList.toggle("bad", this.minDuration.value.trim() !== "" && min === 0);
    const text = this.search.value.trim().toLowerCase();
    const out: number[] = [];
    for (let i = 0; i < r.traceId.length; i++) {
      if (errorsOnly && (r.errors[i] as number) === 0) continue;
      if (openOnly && !r.open[i]) continue;
      if ((r.duration[i] as number) < min) continue;
      if (service >= 0 && !(r.services[i] as number[]).includes(service)) continue;
      if (
        text !== "" &&
        !(r.traceId[i] as string).includes(text) &&
        !(r.requestId[i] as string).toLowerCase().includes(text)
      )
        continue;
      out.push(i);
    }
    return out;
  }

  /** The sort key of every row (numbers; trace ids compare as strings). */
  private sortKeys(): Float64Array | string[] {
    const r = this.data.rows;
    switch (this.sortKey) {
      case "duration":
        return Float64Array.from(r.duration);
      case "spans":
        return Float64Array.from(r.spans);
      case "problems":
        return Float64Array.from(r.errors, (e, i) => e * 1e9 + (r.warnings[i] as number));
      case "trace":
        return r.traceId;
      default:
        return Float64Array.from(r.start);
    }
  }

  refresh(): void {
    const rows = this.matches();
    const keys = this.sortKeys();
    const sign = this.descending ? -1 : 1;
    rows.sort((a, b) => {
      const x = keys[a] as number | string;
      const y = keys[b] as number | string;
      return (x < y ? -1 : x > y ? 1 : a - b) * sign;
    });
    this.view = rows;
    for (const [n, c] of COLUMNS.entries()) {
      const head = this.heads[n] as HTMLElement;
      const on = c.key === this.sortKey;
      head.classList.toggle("sorted", on);
      head.setAttribute("aria-sort", on ? (this.descending ? "descending" : "ascending") : "none");
    }
    this.shown.textContent = `${rows.length} of ${this.data.rows.traceId.length} requests`;
    this.list.reset(rows.length);
  }

  private rowElement(i: number): HTMLElement {
    const r = this.data.rows;
    const services = el("div", "cell c-services");
    for (const s of r.services[i] as number[]) {
      const dot = el("span", "dot");
      dot.style.background = serviceColour(s);
      services.append(dot, `${this.data.services[s] ?? ""} `);
    }
    const root = [r.root[i], r.method[i], r.uri[i]].filter((s) => s !== "").join(" ");
    const problems = `${r.warnings[i]}/${r.errors[i]}`;
    const row = el(
      "div",
      "row",
      el("div", "cell c-start", formatTime(this.data.startUs + (r.start[i] as number))),
      el("div", "cell c-trace mono", r.traceId[i] as string),
      el("div", "cell c-request mono", (r.requestId[i] as string) || "—"),
      el("div", "cell c-root", root),
      el("div", "cell c-num", formatDuration(r.duration[i] as number)),
      el("div", "cell c-num", `${r.spans[i]}${r.spansCapped[i] ? "+" : ""}`),
      services,
      el("div", `cell c-num${(r.errors[i] as number) > 0 ? " error" : ""}`, problems),
      el("div", "cell c-open", r.open[i] ? "open" : ""),
    );
    row.dataset["row"] = String(i);
    if ((r.detail[i] as number) < 0) row.classList.add("summary-only");
    if (i === this.selected) row.classList.add("selected");
    const id = `trace ${r.traceId[i]}${r.requestId[i] ? ` · request ${r.requestId[i]}` : ""}`;
    row.title =
      (r.detail[i] as number) < 0 ? `${id} (summary only: not among the detailed requests)` : id;
    return row;
  }

  /** Selects a request (by row index in the data) and, when `open`, opens it. */
  choose(row: number, open: boolean): void {
    this.selected = row;
    this.list.reveal(this.view.indexOf(row));
    this.list.redraw();
    if (open) this.onOpen(row);
  }

  /** Gives the keyboard to the table. */
  focus(): void {
    this.list.scroller.focus();
  }

  private key(e: KeyboardEvent): void {
    const position = this.view.indexOf(this.selected);
    let next = position;
    if (e.key === "ArrowDown" || e.key === "j") next = Math.min(this.view.length - 1, position + 1);
    else if (e.key === "ArrowUp" || e.key === "k") next = Math.max(0, position - 1);
    else if (e.key === "PageDown") next = Math.min(this.view.length - 1, position + 15);
    else if (e.key === "PageUp") next = Math.max(0, position - 15);
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = this.view.length - 1;
    else if (e.key === "Enter" && this.selected >= 0) {
      this.onOpen(this.selected);
      e.preventDefault();
      return;
    } else return;
    e.preventDefault();
    const row = this.view[Math.max(0, next)];
    if (row !== undefined) this.choose(row, false);
  }
}
