/**
 * The data a report page receives: one JSON document inlined into the HTML file, written by
 * `report-data.ts` and read by the page's code (`page/`). Types only, so both sides share them.
 * Times are microseconds; row and span times are offsets from `startUs` (shorter numbers).
 * Strings from the logs travel as JSON strings and the page writes them as text, never markup.
 */

export interface ReportData {
  version: 1;
  /** What the page is about: "dynlog report" or "trace <id>". */
  title: string;
  inputs: string[];
  /** Full detail kept for this many slowest requests (and every one with an error or open span). */
  detailLimit: number;
  startUs: number;
  endUs: number;
  /** Service names, in palette order. */
  services: string[];
  rows: PackedRows;
  stats: StatsRow[];
  timeline: Timeline;
  traces: TraceData[];
}

/** The data as the page works with it: the requests' columns unpacked (`unpackRows`). */
export type PageData = Omit<ReportData, "rows"> & { rows: RequestRows };

/**
 * The requests' columns as the file carries them, short to read: texts that repeat (root, method,
 * uri) and sets of services written once and named by index, the few flagged rows listed rather
 * than a flag on every row, starts as steps from the previous row's start (rows are in start
 * order). `request-rows.ts` packs and unpacks them.
 */
export interface PackedRows {
  traceId: string[];
  requestId: string[];
  /** The first row's start as an offset from `ReportData.startUs`, then each row's step from the one before. */
  startStep: number[];
  duration: number[];
  /** The distinct texts of root, method and uri; those columns hold indices into it. */
  texts: string[];
  root: number[];
  method: number[];
  uri: number[];
  spans: number[];
  /** The rows whose `spans` is a lower bound. */
  cappedRows: number[];
  /** The distinct sets of services (indices into `ReportData.services`); `services` indexes it. */
  serviceSets: number[][];
  services: number[];
  warnings: number[];
  errors: number[];
  /** The rows with an open span. */
  openRows: number[];
  /** The rows kept in detail, in order: the k-th is `ReportData.traces[k]`. */
  detailRows: number[];
}

/** One entry per request, column by column, as the page reads them. */
export interface RequestRows {
  traceId: string[];
  requestId: string[];
  /** Offset of the request's start from `ReportData.startUs`. */
  start: number[];
  duration: number[];
  root: string[];
  method: string[];
  uri: string[];
  spans: number[];
  /** True when `spans` is a lower bound (a trace with more spans than a summary keeps). */
  spansCapped: boolean[];
  /** Indices into `ReportData.services`. */
  services: number[][];
  warnings: number[];
  errors: number[];
  open: boolean[];
  /** Index into `ReportData.traces`, or -1 when only the summary row was kept. */
  detail: number[];
}

export interface StatsRow {
  service: string;
  name: string;
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  busyMean: number | null;
  idleMean: number | null;
  /** Histogram on a logarithmic duration axis: bucket lower bounds (µs) and counts. */
  histogram: { from: number[]; count: number[] };
}

/** Requests by start interval: throughput, latency percentiles, errors. */
export interface Timeline {
  /** Interval start, seconds since the epoch (the chart's x axis). */
  t: number[];
  intervalUs: number;
  requests: number[];
  p50: (number | null)[];
  p99: (number | null)[];
  errors: number[];
}

export interface TraceData {
  traceId: string;
  requestId: string;
  /** Absolute start of the trace (µs since the epoch). */
  startUs: number;
  endUs: number;
  services: string[];
  spans: SpanData[];
}

/** A span, in tree order; times are offsets from its trace's start. */
export interface SpanData {
  id: string;
  parentId: string;
  /** Index of the parent in `TraceData.spans`, or -1. */
  parent: number;
  depth: number;
  name: string;
  service: string;
  target: string;
  start: number;
  end: number;
  duration: number | null;
  busy: number | null;
  idle: number | null;
  closed: boolean;
  critical: boolean;
  flags: string[];
  /** The flags as the terminal view names them (`orphan: parent 5c20cc0…`, `clock skew`). */
  notes: { text: string; warn: boolean }[];
  warnings: number;
  errors: number;
  attributes: [string, string][];
  records: RecordData[];
  /** Records left out past the per-span limit. */
  moreRecords: number;
}

/** A record logged inside a span: offset, level name, target, message, fields. */
export type RecordData = [number | null, string, string, string, [string, string][]];
