/**
 * What a command may touch of the outside world, passed in so tests can run commands in-process.
 * Diagnostics echo data (a path, an id, a reason quoting a file name), so they are written with
 * control characters escaped: stderr is usually a terminal.
 */
import type { Writable } from "node:stream";
import { checkInput } from "../input/inputs.js";
import type { Source } from "../model/record.js";
import { terminalSafe } from "../render/terminal-safe.js";

export interface Io {
  stdout: Writable;
  /** Writes one diagnostic line (without the `dynlog: ` prefix) to stderr. */
  warn(message: string): void;
  /** Reports an input that could not be read (`dynlog: <path>: <reason>`). */
  inputError(source: Source, reason: string): void;
  /** Standard input is a terminal (then a command given no inputs says so instead of waiting). */
  stdinIsTTY?: boolean;
}

export function processIo(): Io {
  return { ...streamIo(process.stdout, process.stderr), stdinIsTTY: Boolean(process.stdin.isTTY) };
}

/** An `Io` over two streams (the process's, or in-memory ones when commands run in-process). */
export function streamIo(stdout: Writable, stderr: Writable): Io {
  const warn = (message: string) => {
    stderr.write(`dynlog: ${terminalSafe(message)}\n`);
  };
  return {
    stdout,
    warn,
    inputError: (source, reason) =>
      warn(`${source.path === "-" ? "stdin" : source.path}: ${reason}`),
  };
}

/** Reports unreadable inputs through `io` and counts them, for the exit status. */
export class InputFailures {
  count = 0;

  constructor(private readonly io: Io) {}

  readonly report = (source: Source, reason: string): void => {
    this.count++;
    this.io.inputError(source, reason);
  };
}

/** The inputs that can be opened; the others are reported (and counted) through `failures`. */
export function readableSources(sources: Source[], failures: InputFailures): Source[] {
  const ok: Source[] = [];
  for (const source of sources) {
    const problem = checkInput(source);
    if (problem === null) ok.push(source);
    else failures.report(source, problem);
  }
  return ok;
}
