/**
 * `--signals logs`: every record of the inputs (merged by time, `--filter`/`--where`/`--since`/
 * `--until` applied) sent as OTLP log records, in batches, to the logs endpoint, each linked to
 * its trace and span and attributed to its service.
 *
 * Receives: sources, the record filter, push settings. Emits: how many records were not accepted.
 */

import { type PushSettings, sendBatch } from "../export/otlp-http.js";
import { logsData } from "../export/otlp-logs.js";
import type { ExportContext } from "../export/otlp-model.js";
import { encodeLogs } from "../export/protobuf.js";
import type { RecordFilter } from "../filter/record-filter.js";
import type { LogRecord, Source } from "../model/record.js";
import { type InputErrorHandler, readRecords } from "../parse/record-stream.js";
import { mergeByTime } from "../pipeline/merge.js";
import { ServiceMap } from "../trace/lookup.js";
import type { Io } from "./io.js";
import { type ProgressWriter, PushProgress, reportBatch } from "./push-report.js";

const BATCH_RECORDS = 2048;

export interface LogsPush {
  sources: Source[];
  filter: RecordFilter;
  /** The service of records the logs do not name (`OTEL_SERVICE_NAME`), or null. */
  service: string | null;
  settings: PushSettings;
  context: ExportContext;
  io: Io;
  onError: InputErrorHandler;
  /** Writes the progress line (stderr is a terminal), or null. */
  progress: ProgressWriter;
}

/** Sends the records; resolves to [records sent, records not accepted]. */
export async function pushLogs(run: LogsPush): Promise<[number, number]> {
  const services = new ServiceMap(run.sources, run.service);
  const streams = run.sources.map((s) => readRecords(s, run.onError));
  const batches =
    streams.length === 1 ? (streams[0] as AsyncIterable<LogRecord[]>) : mergeByTime(streams);
  let batch: { rec: LogRecord; service: string }[] = [];
  let total = 0;
  let notAccepted = 0;
  let failed = false;
  const progress = new PushProgress(run.progress, "records");
  const show = (done = false) => {
    const sent = total - batch.length - notAccepted;
    progress.update(`${sent} log records`, sent, done);
  };
  const flush = async () => {
    const data = logsData(batch, run.context);
    const body =
      run.settings.protocol === "http/json" ? Buffer.from(JSON.stringify(data)) : encodeLogs(data);
    const result = await sendBatch(run.settings, "logs", body, batch.length);
    notAccepted += reportBatch(result, batch.length, "log records", run.settings.url, run.io);
    failed = result.failed;
    batch = [];
    show();
  };
  for await (const records of batches) {
    for (const rec of records) {
      services.learn(rec);
      if (!run.filter.keep(rec)) continue;
      total++;
      if (failed) {
        notAccepted++;
        continue;
      }
      batch.push({ rec, service: services.ofRecord(rec) });
      if (batch.length >= BATCH_RECORDS) await flush();
    }
  }
  if (!failed && batch.length > 0) await flush();
  show(true);
  return [total, notAccepted];
}
