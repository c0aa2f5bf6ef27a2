/**
 * `dynlog report`: every request of the inputs in one self-contained HTML file (overview, a table
 * of requests, each detailed request's waterfall), written to `-o <file>` or stdout (`-o -`).
 *
 * Receives: view options and a run configuration. Emits: the file; a one-line note on stdout
 * naming it; the exit status (1 when an input could not be read or the file not written).
 */
import { writeFileSync } from "node:fs";
import type { RunConfig } from "../config/run-config.js";
import { describeFsError } from "../input/inputs.js";
import { loadPageAssets, renderReportHtml } from "../report/html.js";
import { chooseDetail, reportData, traceRowOf } from "../report/report-data.js";
import type { Trace } from "../trace/span.js";
import type { Io } from "./io.js";
import { collectRun } from "./report-collect.js";

export interface ReportOptions {
  output: string;
  detail: number;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;
}

export async function runReport(
  options: ReportOptions,
  config: RunConfig,
  io: Io,
): Promise<number> {
  const run = await collectRun(config, io, (rows) => chooseDetail(rows, options.detail));
  for (const id of run.truncated) {
    io.warn(`warning: trace ${id} has too many records; later ones are left out of the report`);
  }
  const data = reportData({
    title: "dynlog report",
    inputs: config.sources.map((s) => s.path),
    detailLimit: options.detail,
    rows: run.rows,
    stats: run.stats,
    traces: run.traces,
  });
  const html = renderReportHtml(data, loadPageAssets());
  if (options.output === "-") {
    io.stdout.write(html);
  } else {
    try {
      writeFileSync(options.output, html);
    } catch (err) {
      io.warn(`${options.output}: ${describeFsError(err)}`);
      return 1;
    }
    const bytes = Buffer.byteLength(html);
    io.stdout.write(
      `${options.output}: ${megabytes(bytes)}, ${data.rows.traceId.length} requests (${data.traces.length} in detail)\n`,
    );
  }
  return run.failedInputs > 0 ? 1 : 0;
}

/** `trace <id> --format html`: the page of one request, to stdout. */
export function writeTraceHtml(trace: Trace, config: RunConfig, io: Io): void {
  const data = reportData({
    title: `trace ${trace.traceId}`,
    inputs: config.sources.map((s) => s.path),
    detailLimit: 1,
    rows: [traceRowOf(trace)],
    stats: [],
    traces: new Map([[trace.traceId, trace]]),
  });
  io.stdout.write(renderReportHtml(data, loadPageAssets()));
}
