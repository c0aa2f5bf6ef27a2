/**
 * Runs a command in-process, as the CLI would after parsing: a configuration from
 * `resolveConfig`, an `Io` that collects standard output and diagnostics in memory.
 */
import { Writable } from "node:stream";
import { parseArgs } from "../../src/cli/args.js";
import { resolveSettings } from "../../src/cli/resolve.js";
import type { Io } from "../../src/commands/io.js";
import { compileRunConfig, type RunConfig } from "../../src/config/run-config.js";

export interface Captured {
  io: Io;
  stdout(): string;
  stderr(): string;
}

export function captureIo(): Captured {
  let out = "";
  let err = "";
  const stdout = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      out += chunk.toString();
      done();
    },
  });
  const warn = (message: string) => {
    err += `dynlog: ${message}\n`;
  };
  return {
    io: {
      stdout,
      warn,
      inputError: (source, reason) => warn(`${source.path}: ${reason}`),
    },
    stdout: () => out,
    stderr: () => err,
  };
}

/** A configuration for `inputs` as the CLI builds it (no terminal, no colour, UTC). */
export async function configFor(inputs: string[], options: string[] = []): Promise<RunConfig> {
  const line = parseArgs(["convert", ...options, "--", ...inputs]);
  if (line.kind !== "run") throw new Error(`bad test options: ${JSON.stringify(line)}`);
  const environment = {
    env: {},
    stdoutIsTTY: false,
    stdoutColumns: 120,
    stdinIsTTY: false,
    nowUs: Date.now() * 1000,
  };
  return compileRunConfig(await resolveSettings(line.options, line.inputs, environment));
}
