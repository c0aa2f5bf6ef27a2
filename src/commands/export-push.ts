/**
 * `dynlog export --push`: the chosen traces cut into batches of spans (well under the 64 MiB
 * request limit collectors apply), encoded as http/protobuf or http/json, sent one after the
 * other. A partial success is reported with the collector's count and message; a batch that
 * fails stops the push (the rest would fail the same way) and its spans, and the ones after it,
 * count as not sent. Exporting the same logs again sends the same ids and times.
 *
 * Receives: the chosen traces' sources and selection, export settings. Emits: the exit status.
 */

import { collectTraces, type TraceSelection } from "../export/collect-traces.js";
import type { ExportOptions } from "../export/format.js";
import {
  type BatchResult,
  PushConfigError,
  type PushSettings,
  pushSettings,
  sendBatch,
} from "../export/otlp-http.js";
import { type ExportContext, type TraceSpan, tracesDataOf } from "../export/otlp-model.js";
import { encodeTraces } from "../export/protobuf.js";
import type { Source } from "../model/record.js";
import type { ScanErrorHandler } from "../parse/scan-sources.js";
import type { Io } from "./io.js";
import { type ProgressWriter, PushProgress, reportBatch } from "./push-report.js";

/** Spans per request, and the most bytes one may have before it is cut in two. */
const BATCH_SPANS = 1024;
const MAX_BODY = 16 * 1024 * 1024;

export interface PushRun {
  options: ExportOptions;
  sources: Source[];
  selection: TraceSelection;
  context: ExportContext;
  env: NodeJS.ProcessEnv;
  io: Io;
  onError: ScanErrorHandler;
  /** Writes the progress line (stderr is a terminal), or null. */
  progress: ProgressWriter;
}

function encode(items: TraceSpan[], context: ExportContext, settings: PushSettings): Buffer {
  const data = tracesDataOf(items, context);
  return settings.protocol === "http/json" ? Buffer.from(JSON.stringify(data)) : encodeTraces(data);
}

/** Sends `items`, halving a batch whose body is too large. */
async function sendSpans(
  items: TraceSpan[],
  context: ExportContext,
  settings: PushSettings,
): Promise<BatchResult> {
  const body = encode(items, context, settings);
  if (body.length > MAX_BODY && items.length > 1) {
    const half = items.length >> 1;
    const first = await sendSpans(items.slice(0, half), context, settings);
    if (first.failed) return { ...first, rejected: items.length };
    const second = await sendSpans(items.slice(half), context, settings);
    return {
      rejected: first.rejected + second.rejected,
      message: [first.message, second.message].filter((m) => m !== "").join("; "),
      failed: second.failed,
    };
  }
  return sendBatch(settings, "traces", body, items.length);
}

export async function pushExport(run: PushRun): Promise<number> {
  const { options, io } = run;
  let settings: PushSettings;
  let logSettings: PushSettings | null = null;
  try {
    settings = pushSettings("traces", run.env, options);
    if (options.signals.logs) logSettings = pushSettings("logs", run.env, options);
  } catch (err) {
    if (err instanceof PushConfigError) {
      io.warn(err.message);
      return 2;
    }
    throw err;
  }
  if (settings.url.port === "4317") {
    io.warn(`warning: ${settings.url.host} is OTLP/gRPC's usual port; OTLP/HTTP listens on 4318`);
  }
  let status = 0;
  if (options.signals.traces) status = await pushTraces(run, settings);
  if (logSettings !== null) {
    const { pushLogs } = await import("./export-logs.js");
    const [total, notAccepted] = await pushLogs({
      sources: run.sources,
      filter: run.selection.filter.fresh(),
      service: run.selection.service,
      settings: logSettings,
      context: run.context,
      io,
      onError: run.onError,
      progress: run.progress,
    });
    if (notAccepted > 0) {
      io.warn(
        `${notAccepted} of ${total} log records were not accepted by ${logSettings.url.href}`,
      );
      status = 1;
    }
  }
  return status;
}

async function pushTraces(run: PushRun, settings: PushSettings): Promise<number> {
  const io = run.io;
  const collected = await collectTraces(run.sources, run.selection, run.onError);
  const problems = collected.problems;
  for (const p of problems) io.warn(p);
  if (collected.count === 0) {
    io.warn("no traces to export");
    return 1;
  }
  const total = collected.spans;
  const progress = new PushProgress(run.progress, "spans");
  let traces = 0;
  let accepted = 0;
  const show = (done = false) =>
    progress.update(`${traces} traces, ${accepted} spans`, accepted, done);
  let batch: TraceSpan[] = [];
  let failed = false;
  const flush = async (): Promise<void> => {
    const result = await sendSpans(batch, run.context, settings);
    accepted += batch.length - reportBatch(result, batch.length, "spans", settings.url, io);
    failed = result.failed;
    batch = [];
    show();
  };
  for (const trace of collected.traces()) {
    for (const span of trace.spans) {
      batch.push({ span, trace });
      if (batch.length >= BATCH_SPANS) {
        await flush();
        if (failed) break;
      }
    }
    if (failed) break;
    traces++;
  }
  if (!failed && batch.length > 0) await flush();
  show(true);
  const notAccepted = total - accepted;
  if (notAccepted > 0) {
    io.warn(`${notAccepted} of ${total} spans were not accepted by ${settings.url.href}`);
    return 1;
  }
  return problems.length > 0 ? 1 : 0;
}
