// Renders records exactly as Dynamo's JSONL formatter writes them: `time`, `level`, `file`,
// `line`, `target`, `message`, then all other fields in byte order (a Rust BTreeMap).
// Records are built by string concatenation from pre-rendered pieces because the big-file mode
// renders hundreds of thousands of lines per second.

export type Level = "ERROR" | "WARN" | "INFO" | "DEBUG" | "TRACE";

/** Pre-rendered JSON for values JavaScript numbers cannot carry: u64 ids, floats like 1.0. */
export class Raw {
  constructor(readonly json: string) {}
}

export type FieldValue = string | number | Raw;

/** One field, rendered once as `,"key":value` so it can be reused on every line. */
export interface Field {
  readonly key: string;
  readonly json: string;
}

/** Where a record comes from: everything before the message, rendered once. */
export interface Site {
  readonly head: string;
  readonly extra: readonly Field[];
}

/** A tracing span: the site of its macro call plus the fields every record inside it carries. */
export interface Span {
  readonly site: Site;
  readonly fields: readonly Field[];
}

export interface SpanIds {
  readonly name: string;
  readonly spanId: string;
  readonly traceId: string;
  readonly parentId?: string | undefined;
  readonly xRequestId?: string | undefined;
}

export const u64 = (digits: string): Raw => new Raw(digits);
/** An f64 as serde_json writes it: shortest round-trip form, integral values with ".0". */
export const float = (value: number): Raw =>
  new Raw(Number.isInteger(value) ? value.toFixed(1) : String(value));

const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

export function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

function jsonValue(value: FieldValue): string {
  if (typeof value === "string") return quote(value);
  if (typeof value === "number") return String(value);
  return value.json;
}

// Field keys are ASCII, so UTF-16 comparison equals the byte order Rust sorts by.
const byKey = (a: Field, b: Field): number => (a.key < b.key ? -1 : 1);

const keyPrefixes = new Map<string, string>();

/** `,"key":`, rendered once per distinct key. */
function keyPrefix(key: string): string {
  let prefix = keyPrefixes.get(key);
  if (prefix === undefined) {
    prefix = `,${quote(key)}:`;
    keyPrefixes.set(key, prefix);
  }
  return prefix;
}

export function fields(values: Readonly<Record<string, FieldValue | undefined>>): Field[] {
  const out: Field[] = [];
  for (const key in values) {
    const value = values[key];
    if (value !== undefined) out.push({ key, json: keyPrefix(key) + jsonValue(value) });
  }
  return out.sort(byKey);
}

export function rustSite(level: Level, target: string, file: string, line: number): Site {
  const head = `","level":"${level}","file":${quote(file)},"line":${line},"target":${quote(target)},"message":`;
  return { head, extra: [] };
}

/** A Python `logging` record bridged into Rust tracing: no file/line, target "log". */
export function pythonSite(level: Level, file: string, line: number, logTarget: string): Site {
  const extra = fields({ "log.file": file, "log.line": line, "log.target": logTarget });
  return { head: `","level":"${level}","target":"log","message":`, extra };
}

export function makeSpan(site: Site, ids: SpanIds, own: Record<string, FieldValue>): Span {
  const context = fields({
    span_id: ids.spanId,
    span_name: ids.name,
    trace_id: ids.traceId,
    parent_id: ids.parentId,
    x_request_id: ids.xRequestId,
    ...own,
  });
  return { site, fields: context };
}

const secondsCache: Array<{ second: number; prefix: string }> = [];

/** RFC 3339 with exactly six fractional digits, from microseconds since the epoch. */
export function formatTime(micros: number): string {
  const second = Math.floor(micros / 1_000_000);
  const slot = second & 63;
  let cached = secondsCache[slot];
  if (cached === undefined || cached.second !== second) {
    cached = { second, prefix: new Date(second * 1000).toISOString().slice(0, 20) };
    secondsCache[slot] = cached;
  }
  const fraction = micros - second * 1_000_000;
  return `${cached.prefix}${String(fraction).padStart(6, "0")}Z`;
}

const NONE: readonly Field[] = [];

/**
 * One JSONL record with its trailing newline. The site's fields and each list must already be
 * sorted; they are merged as they are appended, which costs no sort. The pieces are joined
 * rather than concatenated: a flat string is much cheaper to encode than a deep rope.
 */
export function renderRecord(
  time: number,
  site: Site,
  message: string,
  first: readonly Field[] = NONE,
  second: readonly Field[] = NONE,
): string {
  const third = site.extra;
  const out = [`{"time":"${formatTime(time)}${site.head}${quote(message)}`];
  let i = 0;
  let j = 0;
  let k = 0;
  for (;;) {
    let next = first[i];
    let from = 0;
    const b = second[j];
    if (b !== undefined && (next === undefined || b.key < next.key)) {
      next = b;
      from = 1;
    }
    const c = third[k];
    if (c !== undefined && (next === undefined || c.key < next.key)) {
      next = c;
      from = 2;
    }
    if (next === undefined) {
      out.push("}\n");
      return out.join("");
    }
    out.push(next.json);
    if (from === 0) i++;
    else if (from === 1) j++;
    else k++;
  }
}
