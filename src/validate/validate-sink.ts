/**
 * `validate` as a pipeline sink: classifies every line the reader produced and checks it.
 * - A JSON record: schema (schema.ts), invalid UTF-8 (error), a torn record that was rejoined
 *   (warning "record torn across lines N-M, rejoined"), then span consistency (span-checks.ts).
 * - A line that starts a JSON object but is not a record: checked against the schema too (an
 *   object without `level`/`message` is missing them); one that does not parse is an error
 *   ("invalid JSON", with the parser's reason). Too long to parse (over 16 MiB): a warning.
 * - Any other line (a traceback, a readable-layout line, a blank line) is counted; with
 *   `strict`, each is an error.
 * - An input with NUL bytes and no record at all (JSON or readable) is a binary file, not a log:
 *   an error at its first NUL line, reported when the input ends (`endSource`).
 *
 * Receives: records in input order. Emits: problems into a ProblemLog and the counts below.
 */
import { PARSE_LIMIT } from "../input/parse-limit.js";
import type { LogRecord } from "../model/record.js";
import type { Sink } from "../model/sink.js";
import type { ProblemLog } from "./problems.js";
import { checkSchema, type SchemaIssue } from "./schema.js";
import type { SpanChecker } from "./span-checks.js";

export interface LineCounts {
  /** Physical lines read. */
  lines: number;
  /** Lines holding (or starting) a JSON object: records, and objects that failed. */
  records: number;
  /** Every other line: not JSON, or JSON that is not an object. */
  unparsed: number;
  /** Lines with at least one error. */
  invalid: number;
}

function textOf(rec: LogRecord): string {
  const text = typeof rec.raw === "string" ? rec.raw : rec.raw.toString("utf8");
  const body = text.slice(rec.prefix.length);
  return rec.lineNo === 1 && body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
}

function parseError(text: string): string {
  try {
    JSON.parse(text);
    return "not a JSON object";
  } catch (err) {
    return (err as Error).message.replace(/\s*\(line \d+ column \d+\)$/, "");
  }
}

/** What a line that is not a JSON object is, for `--strict`. */
function describeOther(rec: LogRecord, text: string): string {
  if (rec.kind === "text") return "not JSON: a line of Dynamo's readable layout";
  if (text.trim() === "") return "not JSON: a blank line";
  try {
    const value: unknown = JSON.parse(text);
    const what = Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`;
    return `not a JSON object: ${what}`;
  } catch {
    return "not JSON";
  }
}

function hasNul(raw: string | Buffer): boolean {
  return typeof raw === "string" ? raw.indexOf("\0") >= 0 : raw.indexOf(0) >= 0;
}

export class ValidateSink implements Sink {
  readonly counts: LineCounts = { lines: 0, records: 0, unparsed: 0, invalid: 0 };
  /** Records (JSON or readable) of the current input. */
  private sourceRecords = 0;
  /** The first line of the current input holding a NUL byte, or null. */
  private firstNul: LogRecord | null = null;

  constructor(
    private readonly log: ProblemLog,
    private readonly spans: SpanChecker,
    private readonly strict: boolean,
  ) {}

  record(rec: LogRecord): void {
    this.counts.lines += rec.lineCount;
    if (rec.kind !== "unparsed") this.sourceRecords++;
    else if (this.firstNul === null && hasNul(rec.raw)) this.firstNul = rec;
    if (rec.kind === "json") this.checkRecord(rec);
    else this.checkOther(rec);
  }

  /** Ends the current input: one with NUL bytes and no record is a binary file, an error. */
  endSource(): void {
    const nul = this.firstNul;
    if (nul !== null && this.sourceRecords === 0) {
      const problem = "binary file: NUL bytes and no log record";
      this.report(nul, [{ severity: "error", kind: "binary file", problem }]);
    }
    this.sourceRecords = 0;
    this.firstNul = null;
  }

  private checkRecord(rec: LogRecord): void {
    this.counts.records++;
    const issues: SchemaIssue[] = [];
    if (typeof rec.raw !== "string") issues.push(invalidUtf8());
    if (rec.lineCount > 1) {
      const last = rec.lineNo + rec.lineCount - 1;
      issues.push({
        severity: "warning",
        kind: "torn record, rejoined",
        problem: `record torn across lines ${rec.lineNo}-${last}, rejoined`,
      });
    }
    this.report(rec, issues.concat(checkSchema(rec.body) ?? []));
    this.spans.observe(rec);
  }

  private checkOther(rec: LogRecord): void {
    if (rec.raw.length > PARSE_LIMIT) {
      this.checkLong(rec);
      return;
    }
    const text = rec.kind === "unparsed" ? textOf(rec) : "";
    if (text.charCodeAt(0) === 123 /* { */) {
      this.counts.records++;
      this.report(rec, this.objectIssues(rec, text));
      return;
    }
    this.counts.unparsed++;
    if (this.strict) {
      const problem = describeOther(rec, text);
      this.report(rec, [{ severity: "error", kind: "not a JSON object", problem }]);
    }
  }

  /** A line (or a piece of one) over the parse limit: not decoded, not parsed. */
  private checkLong(rec: LogRecord): void {
    const first = typeof rec.raw === "string" ? rec.raw.charCodeAt(0) : rec.raw[0];
    if (first !== 123 /* { */) {
      this.counts.unparsed++;
      if (this.strict) {
        this.report(rec, [{ severity: "error", kind: "not a JSON object", problem: "not JSON" }]);
      }
      return;
    }
    this.counts.records++;
    const mib = Math.round(rec.raw.length / 1048576);
    const problem = `line of ${mib} MiB not checked (longer than the 16 MiB parse limit)`;
    this.report(rec, [{ severity: "warning", kind: "line too long to check", problem }]);
  }

  private objectIssues(rec: LogRecord, text: string): SchemaIssue[] {
    const issues = typeof rec.raw === "string" ? [] : [invalidUtf8()];
    const schema = checkSchema(text);
    if (schema !== null) return [...issues, ...schema];
    const reason = parseError(text);
    return [
      ...issues,
      { severity: "error", kind: "invalid JSON", problem: `invalid JSON: ${reason}` },
    ];
  }

  private report(rec: LogRecord, issues: readonly SchemaIssue[]): void {
    let invalid = false;
    for (const issue of issues) {
      this.log.add(
        { sourceIndex: rec.source.index, line: rec.lineNo },
        issue.severity,
        issue.kind,
        issue.problem,
      );
      if (issue.severity === "error") invalid = true;
    }
    if (invalid) this.counts.invalid++;
  }
}

function invalidUtf8(): SchemaIssue {
  return { severity: "error", kind: "invalid UTF-8", problem: "invalid UTF-8 bytes in a record" };
}
