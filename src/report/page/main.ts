/**
 * The report page: reads the inlined data, draws the overview and the requests table, and opens
 * a request's waterfall when a row is chosen or the URL fragment (`#trace=<id>`) names one, so a
 * link to a request can be shared with the file. `/` focuses the search, Escape closes a request.
 */
import type { ReportData, TraceData } from "../data-shape.js";
import { el } from "./dom.js";
import { renderOverview } from "./overview.js";
import { RequestTable } from "./table.js";
import { Waterfall } from "./waterfall.js";

function start(): void {
  performance.mark("dynlog-start");
  const source = document.getElementById("dynlog-data");
  const data = JSON.parse(source?.textContent ?? "null") as ReportData;
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
  if (!single) renderOverview(data, overview);
  performance.mark("dynlog-overview");
  const waterfall = new Waterfall(data);
  const byTrace = new Map<string, number>();
  data.rows.traceId.forEach((id, i) => {
    byTrace.set(id, i);
  });
  const open = (row: number) => {
    waterfall.show(row);
    const id = data.rows.traceId[row] as string;
    if (location.hash !== `#trace=${id}`) history.replaceState(null, "", `#trace=${id}`);
    waterfall.element.scrollIntoView({ block: "start" });
  };
  const table = new RequestTable(data, open);
  if (!single) document.body.append(table.element);
  document.body.append(waterfall.element);
  const fromHash = () => {
    const m = /^#trace=([0-9a-zA-Z_-]+)$/.exec(location.hash);
    const row = m === null ? undefined : byTrace.get(m[1] as string);
    if (row !== undefined) {
      table.choose(row, false);
      waterfall.show(row);
    }
  };
  window.addEventListener("hashchange", fromHash);
  if (single) waterfall.show(0);
  else fromHash();
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
  performance.mark("dynlog-ready");
  document.body.dataset["ready"] = "true";
}

start();
