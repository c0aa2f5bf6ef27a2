/**
 * The overview: time range and counts, requests and latency per interval, and per service and
 * span name the latency percentiles, a histogram and the busy/idle share. Charts are uPlot.
 */
import uPlot from "uplot";
import { formatDuration, formatTick } from "../../render/durations.js";
import type { PageData, StatsRow } from "../data-shape.js";
import { el, formatTime, serviceColour } from "./dom.js";

const ERROR_COLOUR = "#D55E00";
/** A histogram's size (px); its cell keeps it before the chart is drawn. */
const HISTOGRAM_WIDTH = 160;
const HISTOGRAM_HEIGHT = 36;

function card(label: string, value: string, id: string): HTMLElement {
  const v = el("div", "value", value);
  v.id = id;
  return el("div", "card", el("div", "label", label), v);
}

export interface Counts {
  requests: number;
  errors: number;
  open: number;
}

export function countRequests(data: PageData): Counts {
  let errors = 0;
  let open = 0;
  for (let i = 0; i < data.rows.traceId.length; i++) {
    if ((data.rows.errors[i] as number) > 0) errors++;
    if (data.rows.open[i]) open++;
  }
  return { requests: data.rows.traceId.length, errors, open };
}

function chartColours(): { axis: string; grid: string } {
  const dark = matchMedia("(prefers-color-scheme: dark)").matches;
  return dark ? { axis: "#bbb", grid: "#333" } : { axis: "#444", grid: "#e5e5e5" };
}

function timelineCharts(data: PageData, width: number): HTMLElement {
  const box = el("div", "charts");
  const t = data.timeline;
  if (t.t.length === 0) return box;
  const { axis, grid } = chartColours();
  const axes = (label: string): uPlot.Axis[] => [
    { stroke: axis, grid: { stroke: grid } },
    { stroke: axis, grid: { stroke: grid }, label, size: 60 },
  ];
  const bars = uPlot.paths.bars?.({ size: [0.8, 40] });
  const perInterval = `per ${formatTick(t.intervalUs)}`;
  const requests = el("div", "chart");
  requests.id = "chart-requests";
  box.append(requests);
  new uPlot(
    {
      title: `Requests ${perInterval} (errors in vermillion)`,
      width,
      height: 200,
      axes: axes("requests"),
      series: [
        {},
        { label: "requests", stroke: "#0072B2", fill: "rgba(0,114,178,0.35)", paths: bars },
        { label: "with errors", stroke: ERROR_COLOUR, fill: ERROR_COLOUR, paths: bars },
      ],
    },
    [t.t, t.requests, t.errors],
    requests,
  );
  const latency = el("div", "chart");
  latency.id = "chart-latency";
  box.append(latency);
  const ms = (v: (number | null)[]) => v.map((x) => (x === null ? null : x / 1000));
  new uPlot(
    {
      title: `Latency of requests started ${perInterval} (ms)`,
      width,
      height: 200,
      axes: axes("ms"),
      series: [
        {},
        { label: "p50", stroke: "#009E73", width: 2, points: { show: true, size: 4 } },
        { label: "p99", stroke: "#CC79A7", width: 2, points: { show: true, size: 4 } },
      ],
    },
    [t.t, ms(t.p50), ms(t.p99)],
    latency,
  );
  return box;
}

/** A histogram's cell, its chart drawn by `draw` (when it first comes into view). */
interface HistogramCell {
  cell: HTMLElement;
  draw: () => void;
}

function histogram(row: StatsRow, colour: string): HistogramCell {
  const box = el("div", "histogram");
  box.style.width = `${HISTOGRAM_WIDTH}px`;
  box.style.height = `${HISTOGRAM_HEIGHT}px`;
  const h = row.histogram;
  if (h.from.length === 0) return { cell: box, draw: () => {} };
  const xs = h.from.map((_, i) => i);
  const draw = () =>
    new uPlot(
      {
        width: HISTOGRAM_WIDTH,
        height: HISTOGRAM_HEIGHT,
        legend: { show: false },
        cursor: { show: false },
        axes: [{ show: false }, { show: false }],
        scales: { x: { time: false, range: [-0.5, Math.max(1, xs.length) - 0.5] } },
        series: [
          {},
          { stroke: colour, fill: colour, paths: uPlot.paths.bars?.({ size: [0.9, 20] }) },
        ],
      },
      [xs, h.count],
      box,
    );
  const range = `${formatDuration(h.from[0] ?? 0)} … ${formatDuration(row.max)}`;
  box.title = `${range} (logarithmic buckets)`;
  return { cell: el("div", "histogram-cell", box, el("span", "pct", range)), draw };
}

/**
 * Draws each histogram when its row first comes near the view, after the first paint (an
 * observer reports once the page is laid out), so a table of thousands of span names neither
 * delays the first view nor holds a chart per row. Resolves once those in view are drawn.
 */
function drawWhenSeen(cells: HistogramCell[]): Promise<void> {
  return new Promise((drawn) => {
    if (cells.length === 0) {
      drawn();
      return;
    }
    const pending = new Map(cells.map((c) => [c.cell as Element, c]));
    const observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          if (!e.isIntersecting) continue;
          pending.get(e.target)?.draw();
          observer.unobserve(e.target);
        }
        drawn();
      },
      { rootMargin: "300px" },
    );
    for (const cell of pending.keys()) observer.observe(cell);
  });
}

function busyIdle(row: StatsRow): HTMLElement {
  const busy = row.busyMean ?? 0;
  const idle = row.idleMean ?? 0;
  const total = busy + idle;
  const bar = el("div", "share");
  if (total <= 0) {
    bar.append(el("span", "muted", "—"));
    return bar;
  }
  const b = el("div", "busy");
  b.style.width = `${(100 * busy) / total}%`;
  bar.append(b, el("div", "idle"));
  bar.title = `busy ${formatDuration(busy)} · idle ${formatDuration(idle)} (means)`;
  return el(
    "div",
    "share-cell",
    bar,
    el("span", "pct", `${Math.round((100 * busy) / total)}% busy`),
  );
}

function statsTable(data: PageData, histograms: HistogramCell[]): HTMLElement {
  const head = el(
    "tr",
    "",
    ...["Service", "Span", "Count", "p50", "p90", "p99", "Max", "Busy / idle", "Histogram"].map(
      (h) => el("th", "", h),
    ),
  );
  const body = el("tbody");
  for (const row of data.stats) {
    const colour = serviceColour(Math.max(0, data.services.indexOf(row.service)));
    const dot = el("span", "dot");
    dot.style.background = colour;
    const chart = histogram(row, colour);
    histograms.push(chart);
    body.append(
      el(
        "tr",
        "",
        el("td", "", dot, row.service),
        el("td", "", row.name),
        el("td", "num", String(row.count)),
        el("td", "num", formatDuration(row.p50)),
        el("td", "num", formatDuration(row.p90)),
        el("td", "num", formatDuration(row.p99)),
        el("td", "num", formatDuration(row.max)),
        el("td", "", busyIdle(row)),
        el("td", "", chart.cell),
      ),
    );
  }
  const table = el("table", "stats", el("thead", "", head), body);
  table.id = "stats";
  return table;
}

/** Draws the overview into `root`; resolves once the charts deferred past the first paint are drawn. */
export function renderOverview(data: PageData, root: HTMLElement): Promise<void> {
  const counts = countRequests(data);
  const range =
    counts.requests === 0
      ? "no requests"
      : `${formatTime(data.startUs)} → ${formatTime(data.endUs)} UTC (${formatDuration(data.endUs - data.startUs)})`;
  root.append(
    el("p", "range", range),
    el(
      "div",
      "cards",
      card("Requests", String(counts.requests), "count-requests"),
      card("With errors", String(counts.errors), "count-errors"),
      card("Open", String(counts.open), "count-open"),
      card("Services", data.services.join(", ") || "—", "count-services"),
      card("In detail", String(data.rows.detail.filter((d) => d >= 0).length), "count-detail"),
    ),
  );
  const width = Math.max(320, Math.min(1200, root.clientWidth || 900) / 2 - 16);
  root.append(timelineCharts(data, width));
  const histograms: HistogramCell[] = [];
  if (data.stats.length > 0) {
    root.append(el("h2", "", "Per service and span"), statsTable(data, histograms));
  }
  return drawWhenSeen(histograms);
}
