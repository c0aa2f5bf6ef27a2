/**
 * The report page: reads the inlined data, draws the overview and the requests table, and opens
 * a request's waterfall when a row is chosen or the URL fragment (`#trace=<id>`) names one, so a
 * link to a request can be shared with the file. `/` focuses the search, Escape closes a request.
 *
 * The first view comes first: this script runs before the detailed requests are parsed (they
 * follow it in the file), draws the overview and the table, and lets the browser paint them;
 * the detailed requests are read when one is first opened, and the histograms when they come
 * into view. Performance marks name the steps (`bench/report-view.mjs` reads them).
 */
import type { PageData, ReportData, TraceData } from "../data-shape.js";
import { unpackRows } from "../request-rows.js";
import { el } from "./dom.js";
import { renderOverview } from "./overview.js";
import { RequestTable } from "./table.js";
import { Waterfall } from "./waterfall.js";

/** Runs `fn` once the whole file is parsed (at once when it is). */
function whenParsed(fn: () => void): void {
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fn, { once: true });
  } else fn();
}

function start(): void {
  performance.mark("dynlog-start");
  const packed = JSON.parse(
    document.getElementById("dynlog-data")?.textContent ?? "null",
  ) as ReportData;
  const data: PageData = { ...packed, rows: unpackRows(packed.rows) };
  let traces: TraceData[] | null = null;
  Object.defineProperty(data, "traces", {
    get: () => {
      traces ??= JSON.parse(document.getElementById("dynlog-traces")?.textContent ?? "[]");
      return traces;
    },
  });
  performance.mark("dynlog-parsed");
  document.title = data.title;
  const single = data.rows.traceId.length === 1 && data.stats.length === 0;
  const overview = el("section", "overview");
  overview.id = "overview";
  const heading = el(
    "header",
    "top",
    el("h1", "", data.title),
    el("p", "muted", `from ${data.inputs.join(", ")}`),
  );
  document.body.append(heading, overview);
  const deferred = single ? Promise.resolve() : renderOverview(data, overview);
  performance.mark("dynlog-overview");
  const waterfall = new Waterfall(data);
  const open = (row: number) =>
    whenParsed(() => {
      waterfall.show(row);
      const id = data.rows.traceId[row] as string;
      if (location.hash !== `#trace=${id}`) history.replaceState(null, "", `#trace=${id}`);
      waterfall.element.scrollIntoView({ block: "start" });
    });
  const table = new RequestTable(data, open);
  if (!single) document.body.append(table.element);
  document.body.append(waterfall.element);
  performance.mark("dynlog-first-view");
  const fromHash = () => {
    const m = /^#trace=([0-9a-zA-Z_-]+)$/.exec(location.hash);
    const row = m === null ? -1 : data.rows.traceId.indexOf(m[1] as string);
    if (row >= 0) {
      table.choose(row, false);
      waterfall.show(row);
    }
  };
  window.addEventListener("hashchange", () => whenParsed(fromHash));
  document.addEventListener("keydown", (e) => {
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
    if (e.key === "/" && !typing) {
      e.preventDefault();
      table.search.focus();
    } else if (e.key === "Escape" && !single) {
      waterfall.element.hidden = true;
      history.replaceState(null, "", location.pathname);
      table.focus();
    }
  });
  whenParsed(() => {
    if (single) waterfall.show(0);
    else fromHash();
    performance.mark("dynlog-ready");
    document.body.dataset["ready"] = "true";
  });
  void deferred.then(() => {
    performance.mark("dynlog-deferred");
    document.body.dataset["deferred"] = "true";
  });
}

start();
