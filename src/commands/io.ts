/**
 * What a command may touch of the outside world, passed in so tests can run commands in-process.
 */
import type { Writable } from "node:stream";
import type { Source } from "../model/record.js";

export interface Io {
  stdout: Writable;
  /** Writes one diagnostic line (without the `dynlog: ` prefix) to stderr. */
  warn(message: string): void;
  /** Reports an input that could not be read (`dynlog: <path>: <reason>`). */
  inputError(source: Source, reason: string): void;
}

export function processIo(): Io {
  const warn = (message: string) => {
    process.stderr.write(`dynlog: ${message}\n`);
  };
  return {
    stdout: process.stdout,
    warn,
    inputError: (source, reason) =>
      warn(`${source.path === "-" ? "stdin" : source.path}: ${reason}`),
  };
}
