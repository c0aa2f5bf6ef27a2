/**
 * Log records as OTLP's `LogsData`: time, severity from the level, body = message, trace and
 * span ids, target, code location and fields as attributes, the service as resource. Sent beside
 * the traces (`--signals traces,logs`) so a backend can link each record to its span.
 *
 * Receives: records and the service of each. Emits: `LogsData` objects.
 */
import { DEBUG, ERROR, INFO, LEVEL_NAMES, TRACE, WARN } from "../model/level.js";
import type { LogRecord } from "../model/record.js";
import {
  type AnyValue,
  codeLocation,
  type ExportContext,
  fieldValue,
  type KeyValue,
  nanos,
  type Resource,
  resourceOf,
  type Scope,
  str,
} from "./otlp-model.js";

export interface OtlpLogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: AnyValue;
  attributes: KeyValue[];
  traceId?: string;
  spanId?: string;
}

export interface LogsData {
  resourceLogs: {
    resource: Resource;
    scopeLogs: { scope: Scope; logRecords: OtlpLogRecord[] }[];
  }[];
}

/** OpenTelemetry's SeverityNumber for each level (TRACE 1, DEBUG 5, INFO 9, WARN 13, ERROR 17). */
const SEVERITY: Record<number, number> = {
  [TRACE]: 1,
  [DEBUG]: 5,
  [INFO]: 9,
  [WARN]: 13,
  [ERROR]: 17,
};

export function logRecordOf(rec: LogRecord): OtlpLogRecord {
  const attributes: KeyValue[] = [];
  if (rec.target !== "") attributes.push(str("target", rec.target));
  attributes.push(...codeLocation(rec.file, rec.line));
  if (rec.spanName !== "") attributes.push(str("span_name", rec.spanName));
  if (rec.parentId !== "") attributes.push(str("parent_id", rec.parentId));
  for (const f of rec.fields) attributes.push({ key: f.key, value: fieldValue(f) });
  const time = nanos(rec.timeUs);
  const out: OtlpLogRecord = {
    timeUnixNano: time,
    observedTimeUnixNano: time,
    severityNumber: SEVERITY[rec.level] ?? 9,
    severityText: rec.levelText || (LEVEL_NAMES[rec.level] as string),
    body: { stringValue: rec.kind === "unparsed" ? String(rec.raw) : rec.message },
    attributes,
  };
  if (/^[0-9a-f]{32}$/.test(rec.traceId)) out.traceId = rec.traceId;
  if (/^[0-9a-f]{16}$/.test(rec.spanId)) out.spanId = rec.spanId;
  return out;
}

/** Records grouped into one resource per service, in the order given. */
export function logsData(
  records: readonly { rec: LogRecord; service: string }[],
  context: ExportContext,
): LogsData {
  const byService = new Map<string, OtlpLogRecord[]>();
  for (const { rec, service } of records) {
    const list = byService.get(service);
    if (list === undefined) byService.set(service, [logRecordOf(rec)]);
    else list.push(logRecordOf(rec));
  }
  return {
    resourceLogs: [...byService].map(([service, logRecords]) => ({
      resource: resourceOf(service, context),
      scopeLogs: [{ scope: context.scope, logRecords }],
    })),
  };
}
