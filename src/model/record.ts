/**
 * The one normalised record model. Every stage after parsing sees a `LogRecord`; Dynamo's quirks
 * (bridged Python targets, two generations of span markers, `time.*_us`) are resolved once, in
 * `parse/normalize.ts`. Renderers never read raw JSON keys.
 */
import type { Level } from "./level.js";

/** Where a record came from: a file, stdin, or a launcher prefix inside one of them. */
export interface Source {
  /** Index of the input on the command line (stable tie-breaker when merging). */
  readonly index: number;
  /** Name shown to the user: `label=` name, file name without extensions, or `stdin`. */
  readonly label: string;
  /** Path as given (`-` for stdin). */
  readonly path: string;
  /** True when the user named the source with `label=path` (such a name beats launcher prefixes). */
  readonly labelled: boolean;
}

/** How a value was written in the JSON line; the raw token is kept so numbers stay exact. */
export type ValueKind = "string" | "number" | "bool" | "null" | "object" | "array";

export interface Field {
  readonly key: string;
  readonly kind: ValueKind;
  /** The JSON token exactly as written (for strings: including quotes and escapes). */
  readonly raw: string;
  /** Decoded text for strings; the raw token for everything else. */
  readonly text: string;
}

export type SpanMarker = "created" | "first_entry" | "closed";

/**
 * `json`: a JSON object read as a log record. `unparsed`: any other line (a traceback, a progress
 * bar, a torn or foreign line); it travels through the pipeline untouched and is written back
 * byte for byte.
 */
export type RecordKind = "json" | "unparsed";

export interface LogRecord {
  kind: RecordKind;
  source: Source;
  /** Source label after launcher prefixes (`frontend-1` for `frontend-1  | {...}`). */
  label: string;
  /** Physical line number (1-based) of the first line of the record in its input. */
  lineNo: number;
  /** Number of physical lines the record took (2 or more when a torn record was rejoined). */
  lineCount: number;
  /** The line without its end-of-line bytes; a Buffer when it was not valid UTF-8. */
  raw: string | Buffer;
  /** The end-of-line bytes that followed the line: "\n", "\r\n", or "" (last line, or a piece
   *  of an over-long line). Kept so unparsed lines are written back byte for byte. */
  eol: string;
  /** Launcher prefix exactly as written (`0: `, `frontend-1  | `), or "". */
  prefix: string;

  /** Time exactly as written; "" when absent. */
  time: string;
  /** Microseconds since the epoch; NaN when the record has no readable time. */
  timeUs: number;
  /** Time used for ordering and `--since`: `timeUs`, else that of the previous record of the
   *  same input (a traceback stays with the error it follows); -Infinity before any. */
  orderUs: number;
  /** Level as written ("" when absent). */
  levelText: string;
  /** Numeric level; INFO when absent or unknown (see model/level.ts). */
  level: Level;
  /** Effective target: `log.target` for bridged Python records, else `target`. */
  target: string;
  /** Whether the JSON line had a `message` key at all. */
  hasMessage: boolean;
  message: string;
  /** Source location: `file`/`line`, or `log.file`/`log.line` for Python records. */
  file: string;
  line: string;

  spanName: string;
  spanId: string;
  traceId: string;
  parentId: string;
  /** `x_request_id`, else `x_dynamo_request_id`, else `request_id`; "" when none. */
  requestId: string;
  marker: SpanMarker | null;
  busyUs: number;
  idleUs: number;
  durationUs: number;

  /** Every other key, in the order written (Dynamo writes them sorted), last duplicate winning. */
  fields: Field[];
  /** `log.*` keys of bridged Python records, kept out of `fields` (the readable form hides them). */
  logFields: Field[];
}
