/**
 * A JSON record kept for later as its text alone. A parsed record costs about four times its
 * line (the record object, its member offsets, the substrings it names); a view that must hold
 * many records before it uses them (an export keeping every span's events until the traces are
 * complete) keeps them dormant and parses each again when it needs it, one trace at a time.
 * Reviving gives the record the reader gave: same fields, times, label, service and place.
 *
 * Receives: a parsed record. Emits: a dormant record, then the record again.
 */
import type { LogRecord, Source } from "../model/record.js";
import { own } from "../model/strings.js";
import { emptyRecord, normalizeJson } from "./normalize.js";

export interface DormantRecord {
  readonly dormant: true;
  readonly source: Source;
  readonly lineNo: number;
  readonly orderUs: number;
  /** The JSON text, an independent copy (it pins no larger string). */
  readonly body: string;
  readonly prefix: string;
  readonly label: string;
  readonly service: string;
  readonly eol: string;
  readonly lineCount: number;
}

/** `rec` as a dormant record, or `rec` itself when only the record says all it said (not JSON,
 *  or bytes that were not valid UTF-8). */
export function dormant(rec: LogRecord): LogRecord | DormantRecord {
  if (rec.kind !== "json" || typeof rec.raw !== "string") return rec;
  return {
    dormant: true,
    source: rec.source,
    lineNo: rec.lineNo,
    orderUs: rec.orderUs,
    body: own(rec.body),
    prefix: rec.prefix,
    label: rec.label,
    service: rec.service,
    eol: rec.eol,
    lineCount: rec.lineCount,
  };
}

/** The record a dormant record was made from, parsed again. */
export function revive(kept: LogRecord | DormantRecord): LogRecord {
  if (!("dormant" in kept)) return kept;
  const rec = emptyRecord(kept.source, kept.lineNo, kept.prefix + kept.body);
  normalizeJson(rec, kept.body, 0);
  rec.prefix = kept.prefix;
  rec.label = kept.label;
  rec.service = kept.service;
  rec.eol = kept.eol;
  rec.lineCount = kept.lineCount;
  rec.orderUs = kept.orderUs;
  return rec;
}
