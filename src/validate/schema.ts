/**
 * Dynamo's own JSON Schema for a JSONL log line (draft-07, from the test of Dynamo's logging
 * runtime), compiled once with ajv, and a variant for Python records bridged through the `log`
 * crate, which carry `log.file`/`log.line`/`log.target` instead of `file`/`line` (and `target`
 * "log"). A line is checked against the variant when its `target` is "log" and it has a `log.*`
 * location key.
 *
 * The object handed to ajv is built from the scanner's member table, not by JSON.parse: it holds
 * only the keys the schemas name (they allow any other), nested values are replaced by an empty
 * container of the same type (a 100 000-level array costs nothing). Repeated keys keep their
 * last value, as JSON.parse would, and are reported, whatever the key.
 *
 * Receives: the JSON text of one line. Emits: its schema violations and repeated keys.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { ValueKind } from "../model/record.js";
import { decodeString, KeyTable, keyBit, ObjectScan, scanObject } from "../parse/json-scan.js";

const HEX16 = "^[a-f0-9]{16}$";
const HEX32 = "^[a-f0-9]{32}$";

/** Dynamo's schema, as its logging test states it. */
export const LOG_LINE_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "Runtime Log Line",
  type: "object",
  required: ["file", "level", "line", "message", "target", "time"],
  properties: {
    file: { type: "string" },
    level: { type: "string", enum: ["ERROR", "WARN", "INFO", "DEBUG", "TRACE"] },
    line: { type: "integer" },
    message: { type: "string" },
    target: { type: "string" },
    time: { type: "string", format: "date-time" },
    span_id: { type: "string", pattern: HEX16 },
    parent_id: { type: "string", pattern: HEX16 },
    trace_id: { type: "string", pattern: HEX32 },
    span_name: { type: "string" },
    "time.busy_us": { type: "integer" },
    "time.duration_us": { type: "integer" },
    "time.idle_us": { type: "integer" },
  },
  additionalProperties: true,
} as const;

/** The same rules for a Python record bridged through the `log` crate. */
export const BRIDGED_LOG_LINE_SCHEMA = {
  ...LOG_LINE_SCHEMA,
  title: "Runtime Log Line (Python, bridged through the log crate)",
  required: ["level", "log.file", "log.line", "log.target", "message", "target", "time"],
  properties: {
    ...LOG_LINE_SCHEMA.properties,
    "log.file": { type: "string" },
    "log.line": { type: "integer" },
    "log.target": { type: "string" },
  },
} as const;

/** Keys whose values the schemas look at: only these are decoded (at most 31: a bit each). */
const CHECKED = new KeyTable(Object.keys(BRIDGED_LOG_LINE_SCHEMA.properties));

export interface SchemaIssue {
  severity: "error" | "warning";
  /** The kind of problem, the same for every line that has it (the summary's key). */
  kind: string;
  /** The problem on this line, with the offending value. */
  problem: string;
}

interface Validators {
  rust: ValidateFunction;
  bridged: ValidateFunction;
}

let compiled: Validators | null = null;

/** ajv-formats is CommonJS; its plugin is the module itself or its `default`. */
type FormatsPlugin = (ajv: Ajv) => Ajv;

function compile(): Validators {
  if (compiled !== null) return compiled;
  const ajv = new Ajv({ allErrors: true, ownProperties: true, strict: true });
  const module = addFormatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
  (module.default ?? module)(ajv);
  compiled = {
    rust: ajv.compile(LOG_LINE_SCHEMA),
    bridged: ajv.compile(BRIDGED_LOG_LINE_SCHEMA),
  };
  return compiled;
}

const scan = new ObjectScan();

function memberValue(text: string, k: number, kind: ValueKind): unknown {
  const start = scan.valueStart[k] as number;
  const end = scan.valueEnd[k] as number;
  switch (kind) {
    case "string":
      return decodeString(text, start, end, scan.valueEscaped[k] === 1);
    case "number":
      return Number(text.slice(start, end));
    case "bool":
      return text.charCodeAt(start) === 116;
    case "null":
      return null;
    case "object":
      return {};
    default:
      return [];
  }
}

/**
 * The line's members the schemas look at, as an object of its own keys, and the keys that were
 * repeated (any key). The schemas allow other keys, so only the checked ones go in the object:
 * its shapes stay few, and building it was the largest part of `validate` (728 of 5 060 ms over
 * 200 MB with every key in it). Other keys are only checked for repeats: their bits (`keyBit`)
 * find the lines where a key may repeat, and only those are compared exactly.
 */
function membersOf(text: string): { data: Record<string, unknown>; repeated: Set<string> } {
  const data: Record<string, unknown> = {};
  const repeated = new Set<string>();
  let checked = 0;
  let seen = 0;
  let mayRepeat = false;
  for (let k = 0; k < scan.count; k++) {
    const named = CHECKED.member(text, scan, k);
    if (named >= 0) {
      const key = CHECKED.names[named] as string;
      if ((checked & (1 << named)) !== 0) repeated.add(key);
      checked |= 1 << named;
      data[key] = memberValue(text, k, scan.valueKind[k] as ValueKind);
      continue;
    }
    const bit = keyBit(text, scan, k);
    if ((seen & bit) !== 0) mayRepeat = true;
    seen |= bit;
  }
  if (mayRepeat) repeatedOthers(text, repeated);
  return { data, repeated };
}

/** Adds the keys outside the schemas that appear more than once on the line. */
function repeatedOthers(text: string, repeated: Set<string>): void {
  const keys = new Set<string>();
  for (let k = 0; k < scan.count; k++) {
    if (CHECKED.member(text, scan, k) >= 0) continue;
    const key = decodeString(
      text,
      scan.keyStart[k] as number,
      scan.keyEnd[k] as number,
      scan.keyEscaped[k] === 1,
    );
    if (keys.has(key)) repeated.add(key);
    keys.add(key);
  }
}

/** A value as a short, quoted, printable excerpt for a message. */
export function excerpt(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);
  }
  if (Array.isArray(value)) return "an array";
  if (value !== null && typeof value === "object") return "an object";
  return String(value);
}

function keyOf(error: ErrorObject): string {
  const path = error.instancePath.slice(1).replace(/~1/g, "/").replace(/~0/g, "~");
  return path === "" ? String(error.params.missingProperty ?? "") : path;
}

/** An ajv error as a problem: a stable kind (the summary's key) and this line's detail. */
function describe(error: ErrorObject, data: Record<string, unknown>): SchemaIssue {
  const key = keyOf(error);
  const got = ` (got ${excerpt(data[key])})`;
  let kind: string;
  switch (error.keyword) {
    case "required":
      return { severity: "error", kind: `missing '${key}'`, problem: `missing '${key}'` };
    case "type":
      kind = `'${key}' is not ${error.params.type === "integer" ? "an" : "a"} ${error.params.type}`;
      break;
    case "enum":
      kind = `'${key}' is not one of ${(error.params.allowedValues as string[]).join(", ")}`;
      break;
    case "format":
      kind = `'${key}' is not an RFC 3339 date-time with a zone`;
      break;
    case "pattern":
      kind = `'${key}' does not match ${error.params.pattern}`;
      break;
    default:
      kind = `'${key}' ${error.message ?? "is invalid"}`;
  }
  return { severity: "error", kind, problem: kind + got };
}

/** One warning for a line's repeated keys, naming the first few. */
function repeatedKeys(keys: string[]): SchemaIssue {
  const named = keys
    .slice(0, 5)
    .map((k) => `'${k.length > 40 ? `${k.slice(0, 39)}…` : k}'`)
    .join(", ");
  const more = keys.length > 5 ? ` and ${keys.length - 5} more` : "";
  const which = keys.length === 1 ? `key ${named} appears` : `keys ${named}${more} appear`;
  return {
    severity: "warning",
    kind: "repeated key",
    problem: `${which} more than once (the last value counts)`,
  };
}

function isBridged(data: Record<string, unknown>): boolean {
  return (
    data.target === "log" && ("log.file" in data || "log.line" in data || "log.target" in data)
  );
}

/**
 * Checks the JSON object in `text` (after any launcher prefix) against Dynamo's schema. Returns
 * null when the text is not a JSON object at all.
 */
export function checkSchema(text: string): SchemaIssue[] | null {
  if (!scanObject(text, 0, scan)) return null;
  const { data, repeated } = membersOf(text);
  const validators = compile();
  const validate = isBridged(data) ? validators.bridged : validators.rust;
  const issues: SchemaIssue[] = [];
  if (!validate(data)) {
    for (const error of validate.errors ?? []) issues.push(describe(error, data));
  }
  if (repeated.size > 0) issues.push(repeatedKeys([...repeated]));
  return issues;
}
