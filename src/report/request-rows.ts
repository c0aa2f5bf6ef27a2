/**
 * The requests' columns packed for the file and unpacked for the page (`PackedRows`,
 * `RequestRows` in data-shape.ts): the one place that knows the packed form. Used by the report's
 * writer (`report-data.ts`) and by the page's code, which reads it before its first view, so
 * unpacking is a few passes over plain arrays.
 */
import type { PackedRows, RequestRows } from "./data-shape.js";

/** Index of each distinct value (by `key`) in `table`, which it fills. */
export function indexer<T>(table: T[], key: (value: T) => string): (value: T) => number {
  const seen = new Map<string, number>();
  return (value) => {
    const k = key(value);
    let i = seen.get(k);
    if (i === undefined) {
      i = table.length;
      table.push(value);
      seen.set(k, i);
    }
    return i;
  };
}

/** The indices at which `flags` is true. */
function flagged(flags: readonly boolean[]): number[] {
  const out: number[] = [];
  for (const [i, on] of flags.entries()) if (on) out.push(i);
  return out;
}

/** Columns with no rows, to be filled. */
export function emptyRows(): RequestRows {
  return {
    traceId: [],
    requestId: [],
    start: [],
    duration: [],
    root: [],
    method: [],
    uri: [],
    spans: [],
    spansCapped: [],
    services: [],
    warnings: [],
    errors: [],
    open: [],
    detail: [],
  };
}

export function packRows(rows: RequestRows): PackedRows {
  const texts: string[] = [];
  const text = indexer(texts, (t: string) => t);
  const serviceSets: number[][] = [];
  const serviceSet = indexer(serviceSets, (s: number[]) => s.join(","));
  return {
    traceId: rows.traceId,
    requestId: rows.requestId,
    startStep: rows.start.map((at, i) => (i === 0 ? at : at - (rows.start[i - 1] as number))),
    duration: rows.duration,
    texts,
    root: rows.root.map(text),
    method: rows.method.map(text),
    uri: rows.uri.map(text),
    spans: rows.spans,
    cappedRows: flagged(rows.spansCapped),
    serviceSets,
    services: rows.services.map(serviceSet),
    warnings: rows.warnings,
    errors: rows.errors,
    openRows: flagged(rows.open),
    detailRows: rows.detail.flatMap((d, i) => (d >= 0 ? [i] : [])),
  };
}

export function unpackRows(packed: PackedRows): RequestRows {
  const count = packed.traceId.length;
  const start = new Array<number>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    at += packed.startStep[i] as number;
    start[i] = at;
  }
  const flags = (rows: number[]) => {
    const out = new Array<boolean>(count).fill(false);
    for (const r of rows) out[r] = true;
    return out;
  };
  const detail = new Array<number>(count).fill(-1);
  for (const [k, r] of packed.detailRows.entries()) detail[r] = k;
  const root = new Array<string>(count);
  const method = new Array<string>(count);
  const uri = new Array<string>(count);
  const services = new Array<number[]>(count);
  for (let i = 0; i < count; i++) {
    root[i] = packed.texts[packed.root[i] as number] as string;
    method[i] = packed.texts[packed.method[i] as number] as string;
    uri[i] = packed.texts[packed.uri[i] as number] as string;
    services[i] = packed.serviceSets[packed.services[i] as number] as number[];
  }
  return {
    traceId: packed.traceId,
    requestId: packed.requestId,
    start,
    duration: packed.duration,
    root,
    method,
    uri,
    spans: packed.spans,
    spansCapped: flags(packed.cappedRows),
    services,
    warnings: packed.warnings,
    errors: packed.errors,
    open: flags(packed.openRows),
    detail,
  };
}
