/**
 * Readers for the shared conformance files (produced by the real tracing-subscriber formatter and
 * EnvFilter), and a way to turn a filter case into a JSONL record dynlog can be asked about.
 */
import { readFileSync } from "node:fs";
import { CONFORMANCE } from "./paths.js";

/** Keys of a JSONL line that are not fields of the readable form (core keys and span ids). */
export const NOT_FIELDS: ReadonlySet<string> = new Set([
  "time",
  "level",
  "file",
  "line",
  "target",
  "message",
  "span_id",
  "trace_id",
  "parent_id",
  "span_name",
]);

export interface ConvertCase {
  id: string;
  note: string;
  filter: string | null;
  jsonl: string;
  text: string;
  exact: boolean;
  lossy: string[];
}

export interface FilterCase {
  directives: string;
  target: string;
  level: string;
  /** Spans the event is inside, outermost first, as `[target@]name[{k=v,...}][:LEVEL]`. */
  spans: string[];
  enabled: boolean;
}

export interface ParseCase {
  directives: string;
  strict: string;
  lossy: string;
  pieces: string;
}

function lines(file: string): string[] {
  return readFileSync(CONFORMANCE + file, "utf8")
    .split("\n")
    .filter((l) => l !== "");
}

export function convertCases(): ConvertCase[] {
  return lines("convert-cases.jsonl").map((l) => JSON.parse(l) as ConvertCase);
}

export function filterCases(file: string): FilterCase[] {
  return lines(file).map((line) => {
    const cols = line.split("\t");
    const spans = cols.length === 5 ? (cols[3] as string) : "";
    return {
      directives: cols[0] as string,
      target: cols[1] as string,
      level: cols[2] as string,
      spans: spans === "" ? [] : spans.split(" > "),
      enabled: cols[cols.length - 1] === "enabled",
    };
  });
}

export function parseCases(): ParseCase[] {
  return lines("parse-cases.tsv").map((line) => {
    const [directives, strict, lossy, pieces] = line.split("\t");
    return {
      directives: directives ?? "",
      strict: strict ?? "",
      lossy: lossy ?? "",
      pieces: pieces ?? "",
    };
  });
}

/**
 * The JSONL line Dynamo would write for the event of a filter case: its target and level, and for
 * an event inside a span, the innermost span's name and fields flattened in (Display `%v` and
 * `&str` values as plain strings, Debug `?v` as the Debug text, numbers as numbers).
 */
export function caseRecord(c: FilterCase, message: string, python: boolean): string {
  const record: Record<string, unknown> = {
    time: "2025-09-02T15:50:01.770028Z",
    level: c.level,
  };
  if (!python) {
    record.file = "lib/x.rs";
    record.line = 1;
    record.target = c.target;
  } else {
    record.target = "log";
  }
  record.message = message;
  const fields: string[] = [];
  const inner = c.spans[c.spans.length - 1];
  if (inner !== undefined) {
    const m = /^(?:([^@]*)@)?([^{:]+)(?:\{(.*)\})?(?::(\w+))?$/.exec(inner);
    if (m === null) throw new Error(`unreadable span ${inner}`);
    for (const kv of (m[3] ?? "").split(",").filter((s) => s !== "")) {
      const eq = kv.indexOf("=");
      const key = kv.slice(0, eq);
      const v = kv.slice(eq + 1);
      if (v.startsWith("%")) record[key] = v.slice(1);
      else if (v.startsWith("?")) record[key] = JSON.stringify(v.slice(1));
      else if (v.startsWith('"')) record[key] = JSON.parse(v) as string;
      else if (/^-?[0-9]+$/.test(v)) fields.push(`"${key}":${v}`);
      else record[key] = v;
    }
    record.span_id = "00000000000000aa";
    record.span_name = m[2];
    record.trace_id = "000000000000000000000000000000aa";
  }
  if (python) record["log.target"] = c.target;
  let json = JSON.stringify(record);
  // Big integers (instance_id) must reach dynlog as written, not through a JS number.
  if (fields.length > 0) json = `${json.slice(0, -1)},${fields.join(",")}}`;
  return json;
}
