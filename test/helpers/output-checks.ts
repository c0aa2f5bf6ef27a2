/**
 * What every run over bad input must satisfy, as lists of problems (empty = fine), so a test can
 * report everything wrong with one input at once:
 * - it ended by itself, in time, with a documented status (0, 1, 2), without a stack trace;
 * - views and diagnostics carry no raw control characters (data cannot drive the terminal);
 * - terminal output (`--color always`) has only dynlog's own SGR colour sequences;
 * - `convert` keeps every input line: the lines that cannot be records (no braces, quotes or
 *   level words) come out byte for byte, in order; `--to jsonl` never adds lines.
 */
import { isUtf8 } from "node:buffer";
import { PARSE_LIMIT } from "../../src/input/parse-limit.js";
import type { SpawnResult } from "./spawn-run.js";

const STACK = /^\s+at .+(?::\d+:\d+\)?|\(native\)|\(<anonymous>\))$/m;
/** Controls a view may not print: all C0 but newline, DEL, C1. */
const VIEW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;
/** dynlog's own styling: SGR sequences only. */
const SGR = /\x1b\[[0-9;]*m/g;
/** Terminal text may keep newline, tab, and a CR that ends a line. */
const TERMINAL_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)/;

export function runProblems(run: SpawnResult): string[] {
  const problems: string[] = [];
  if (run.timedOut) problems.push(`timed out after ${run.ms} ms`);
  else if (run.signal !== null) problems.push(`killed by ${run.signal}`);
  else if (run.status === null || ![0, 1, 2].includes(run.status)) {
    problems.push(`exit status ${run.status}`);
  }
  if (STACK.test(run.stderr) || run.stderr.includes("internal error")) {
    problems.push(`crash on stderr: ${run.stderr.slice(0, 300)}`);
  }
  if (VIEW_CONTROL.test(run.stderr)) problems.push("raw control characters on stderr");
  return problems;
}

export function viewProblems(run: SpawnResult): string[] {
  const text = run.stdout.toString("utf8");
  const at = text.search(VIEW_CONTROL);
  if (at < 0) return [];
  return [
    `raw control character in the view: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 10))}`,
  ];
}

export function terminalProblems(run: SpawnResult): string[] {
  const problems: string[] = [];
  if (!isUtf8(run.stdout)) problems.push("terminal output is not valid UTF-8");
  const text = run.stdout.toString("utf8").replace(SGR, "");
  const at = text.search(TERMINAL_CONTROL);
  if (at >= 0) {
    const around = JSON.stringify(text.slice(Math.max(0, at - 40), at + 10));
    problems.push(`control character reaches the terminal: ${around}`);
  }
  return problems;
}

export function splitLines(buf: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
    lines.push(buf.subarray(start, nl));
    start = nl + 1;
  }
  if (start < buf.length) lines.push(buf.subarray(start));
  return lines;
}

/** A line no reader could take for a record, or for part of one. */
function isPlain(line: Buffer): boolean {
  const text = line.toString("latin1");
  return !/[{}"]/.test(text) && !/TRACE|DEBUG|INFO|WARN|ERROR/.test(text);
}

/** Plain input lines (and the 1-based lines `also`) must come out byte for byte, in order. */
export function keptLineProblems(input: Buffer, output: Buffer, also: number[] = []): string[] {
  const out = splitLines(output);
  let j = 0;
  for (const [i, line] of splitLines(input).entries()) {
    if (!isPlain(line) && !also.includes(i + 1)) continue;
    while (j < out.length && !(out[j] as Buffer).equals(line)) j++;
    if (j >= out.length) {
      const shown = JSON.stringify(line.subarray(0, 80).toString("latin1"));
      return [`input line ${i + 1} is missing from the output: ${shown}`];
    }
    j++;
  }
  return [];
}

/**
 * `--to jsonl` writes one JSON object per record or line (a line over the 16 MiB parse limit,
 * which is also what a line is held whole up to, is passed on in pieces, one object each): never more lines than came in, and every one JSON.
 */
export function jsonlCountProblems(input: Buffer, output: Buffer): string[] {
  let inCount = 0;
  for (const line of splitLines(input))
    inCount += Math.max(1, Math.ceil(line.length / PARSE_LIMIT));
  const out = splitLines(output);
  if (out.length > inCount) return [`${out.length} output lines for ${inCount} input lines`];
  for (const [i, line] of out.entries()) {
    try {
      const value: unknown = JSON.parse(line.toString("utf8"));
      if (typeof value !== "object" || value === null)
        return [`output line ${i + 1}: not an object`];
    } catch {
      return [`output line ${i + 1} is not JSON: ${line.subarray(0, 80).toString("latin1")}`];
    }
  }
  return [];
}
