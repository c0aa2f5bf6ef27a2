/**
 * The one normalised record model. Every stage after parsing sees a `LogRecord`; Dynamo's quirks
 * (bridged Python targets, two generations of span markers, `time.*_us`) are resolved once, in
 * `parse/normalize.ts`. Renderers never read raw JSON keys.
 *
 * Fields are lazy: a record keeps the JSON text and, per field, four offsets and a flags word
 * (`members`); `Field` objects are built only when something asks for `fields`. Most records of a
 * large log are looked at once and thrown away, so this keeps allocation per line small.
 */
import { INFO, type Level } from "./level.js";

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
  /** A string a readable line printed bare (a `%` Display value), not quoted as a `&str`. */
  readonly display?: boolean;
}

export type SpanMarker = "created" | "first_entry" | "closed";

/**
 * `json`: a JSON object read as a log record. `text`: a line of Dynamo's readable layout read as a
 * record. `unparsed`: any other line (a traceback, a progress bar, a torn or foreign line); it
 * travels through the pipeline untouched and is written back byte for byte.
 */
export type RecordKind = "json" | "text" | "unparsed";

/** Value kinds by their code in a member's flags word. */
export const KINDS: readonly ValueKind[] = ["string", "number", "bool", "null", "object", "array"];
/** Flags word layout: bits 0-2 kind code, then these bits. */
export const KEY_ESCAPED = 8;
export const VALUE_ESCAPED = 16;
/** A `log.*` member of a bridged Python record: hidden from `fields`. */
export const LOG_MEMBER = 32;
/** Numbers per member in `members`: key start, key end, value start, value end, flags. */
export const MEMBER_SIZE = 5;

const NO_MEMBERS: readonly number[] = [];
const NO_SPANS: readonly string[] = [];

function jsonString(body: string, start: number, end: number, escaped: boolean): string {
  return escaped ? (JSON.parse(body.slice(start, end)) as string) : body.slice(start + 1, end - 1);
}

export class LogRecord {
  kind: RecordKind = "unparsed";
  /** Source label after launcher prefixes (`frontend-1` for `frontend-1  | {...}`). */
  label: string;
  /** The service announced most recently before this record in its stream ("" when none yet). */
  service = "";
  /** Number of physical lines the record took (2 or more when a torn record was rejoined). */
  lineCount = 1;
  /** The end-of-line bytes that followed the line: "\n", "\r\n", or "" (last line, or a piece
   *  of an over-long line). Kept so unparsed lines are written back byte for byte. */
  eol = "\n";
  /** Launcher prefix exactly as written (`0: `, `frontend-1  | `), or "". */
  prefix = "";

  /** Time exactly as written; "" when absent. */
  time = "";
  /** Microseconds since the epoch; NaN when the record has no readable time. */
  timeUs = Number.NaN;
  /** Time used for ordering and `--since`: `timeUs`, else that of the previous record of the
   *  same input (a traceback stays with the error it follows); -Infinity before any. */
  orderUs = Number.NEGATIVE_INFINITY;
  /** Level as written ("" when absent). */
  levelText = "";
  /** Numeric level; INFO when absent or unknown (see model/level.ts). */
  level: Level = INFO;
  /** Effective target: `log.target` for bridged Python records, else `target`. */
  target = "";
  /** Whether the JSON line had a `message` key at all. */
  hasMessage = false;
  message = "";
  /** Source location: `file`/`line`, or `log.file`/`log.line` for Python records. */
  file = "";
  line = "";

  /** The innermost span's name; `outerSpans` holds the ones around it, outermost first (known
   *  only from readable lines: a JSONL line carries the innermost span alone). */
  spanName = "";
  outerSpans: readonly string[] = NO_SPANS;
  spanId = "";
  traceId = "";
  parentId = "";
  /** `x_request_id`, else `x_dynamo_request_id`, else `request_id`; "" when none. */
  requestId = "";
  marker: SpanMarker | null = null;
  busyUs = Number.NaN;
  idleUs = Number.NaN;
  durationUs = Number.NaN;

  /** The JSON text `members` point into. */
  body = "";
  /** Every other key, in the order written (Dynamo writes them sorted): see MEMBER_SIZE. */
  members: readonly number[] = NO_MEMBERS;
  /** False when two members may share a key; readers must then use `fields` (which dedupes). */
  membersUnique = true;
  private fieldCache: Field[] | null = null;
  private logFieldCache: Field[] | null = null;

  constructor(
    readonly source: Source,
    /** Physical line number (1-based) of the first line of the record in its input. */
    readonly lineNo: number,
    /** The line without its end-of-line bytes; a Buffer when it was not valid UTF-8. */
    public raw: string | Buffer,
  ) {
    this.label = source.label;
  }

  /** Fields other than the core keys, ids and `log.*`; a repeated key keeps its last value in its
   *  first place, as JSON.parse would. */
  get fields(): Field[] {
    if (this.fieldCache === null) this.fieldCache = this.materialize(false);
    return this.fieldCache;
  }

  set fields(fields: Field[]) {
    this.fieldCache = fields;
    this.members = NO_MEMBERS;
    this.membersUnique = false;
  }

  /** `log.*` keys of bridged Python records (the readable form hides them). */
  get logFields(): Field[] {
    if (this.logFieldCache === null) this.logFieldCache = this.materialize(true);
    return this.logFieldCache;
  }

  /** Decoded key of member `i`. */
  memberKey(i: number): string {
    const m = this.members;
    const at = i * MEMBER_SIZE;
    return jsonString(
      this.body,
      m[at] as number,
      m[at + 1] as number,
      ((m[at + 4] as number) & KEY_ESCAPED) !== 0,
    );
  }

  /** Builds the field of member `i`. */
  memberField(i: number): Field {
    const m = this.members;
    const at = i * MEMBER_SIZE;
    const flags = m[at + 4] as number;
    const kind = KINDS[flags & 7] as ValueKind;
    const raw = this.body.slice(m[at + 2] as number, m[at + 3] as number);
    const text =
      kind === "string"
        ? jsonString(
            this.body,
            m[at + 2] as number,
            m[at + 3] as number,
            (flags & VALUE_ESCAPED) !== 0,
          )
        : raw;
    return { key: this.memberKey(i), kind, raw, text };
  }

  private materialize(log: boolean): Field[] {
    const out: Field[] = [];
    // A Map, not a scan of `out`: a hostile line may carry 200 000 keys.
    const at = new Map<string, number>();
    const m = this.members;
    for (let i = 0; i * MEMBER_SIZE < m.length; i++) {
      if ((((m[i * MEMBER_SIZE + 4] as number) & LOG_MEMBER) !== 0) !== log) continue;
      const field = this.memberField(i);
      const same = at.get(field.key);
      if (same !== undefined) out[same] = field;
      else {
        at.set(field.key, out.length);
        out.push(field);
      }
    }
    return out;
  }
}

/**
 * The service a record belongs to: the user's `label=` name when the input was named, else the
 * service announced before the record in its stream, else the record's label.
 */
export function serviceOf(rec: LogRecord): string {
  if (rec.source.labelled) return rec.label;
  return rec.service !== "" ? rec.service : rec.label;
}
