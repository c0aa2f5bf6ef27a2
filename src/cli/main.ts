/**
 * Command-line entry: parses arguments (`args.ts`, from the option table), resolves the run
 * settings, compiles them and hands the configuration to the command. Exit status: 0 success,
 * 1 nothing matched, an input could not be read or a write failed, 2 usage error. The pipeline
 * never sees argv or process.exit.
 */
import { readFileSync } from "node:fs";
import { type Io, processIo } from "../commands/io.js";
import { compileRunConfig, type RunConfig } from "../config/run-config.js";
import { type CommandLine, type CommandLineFor, parseArgs } from "./args.js";
import type { CommandName } from "./options.js";
import { type Environment, resolveSettings, UsageError } from "./resolve.js";

export const EXIT_OK = 0;
export const EXIT_USAGE = 2;

/** The version in dynlog's package.json, found upwards from this module (compiled or bundled). */
function packageVersion(): string {
  for (let url = new URL("./", import.meta.url); url.pathname !== "/"; url = new URL("../", url)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("package.json", url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "dynlog" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // Not here: look one directory up.
    }
  }
  return "unknown";
}

type Runner<N extends CommandName> = (
  line: CommandLineFor<N>,
  config: RunConfig,
  io: Io,
) => Promise<number>;

/** One runner per command of the table (the compiler checks that none is missing). */
const RUNNERS: { [N in Exclude<CommandName, "completion">]: Runner<N> } = {
  convert: async ({ options }, config, io) => {
    const { runConvert } = await import("../commands/convert.js");
    return runConvert(options.to, config, io);
  },
  tail: async ({ options }, config, io) => {
    const { runTail } = await import("../commands/tail.js");
    const { lines, follow, traces } = options;
    return runTail({ lines, follow, traces, maxTraces: options["max-traces"] }, config, io);
  },
  trace: async ({ options, args }, config, io) => {
    const { runTrace } = await import("../commands/trace.js");
    const { format, logs, details } = options;
    return runTrace({ id: args.id, format, logs, details }, config, io);
  },
  traces: async ({ options }, config, io) => {
    const { runTraces } = await import("../commands/traces.js");
    const { sort, limit, format } = options;
    const select = {
      errors: options.errors,
      open: options.open,
      minDurationUs: options["min-duration"] ?? null,
      service: options.service ?? null,
    };
    return runTraces({ sort, limit, format, select }, config, io);
  },
  stats: async ({ options }, config, io) => {
    const { runStats } = await import("../commands/traces.js");
    return runStats(options.format, config, io);
  },
  export: async ({ options }, config, io) => {
    const { exportOptions, runExport } = await import("../commands/export.js");
    const checked = exportOptions(
      {
        format: options.format,
        output: options.output,
        trace: options.trace,
        errors: options.errors,
        minDurationUs: options["min-duration"] ?? null,
        push: options.push,
        endpoint: options.endpoint,
        protocol: options.protocol,
        signals: options.signals,
      },
      packageVersion(),
      process.env,
    );
    if (typeof checked === "string") throw new UsageError(checked);
    return runExport(checked, config, io);
  },
  report: async ({ options }, config, io) => {
    const { runReport } = await import("../commands/report.js");
    return runReport({ output: options.output, detail: options.detail }, config, io);
  },
  validate: async ({ options }, config, io) => {
    const { runValidate } = await import("../commands/validate.js");
    return runValidate({ format: options.format, strict: options.strict }, config, io);
  },
};

function environmentOf(io: Io): Environment {
  const stdout = io.stdout as NodeJS.WriteStream;
  return {
    env: process.env,
    stdoutIsTTY: Boolean(stdout.isTTY),
    stdoutColumns: stdout.columns,
    stdinIsTTY: io.stdinIsTTY ?? false,
    nowUs: Date.now() * 1000,
  };
}

async function runCommand(line: CommandLine, io: Io): Promise<number> {
  if (line.command === "completion") {
    const { completionScript, SHELLS } = await import("./completion.js");
    const shell = SHELLS.find((s) => s === line.args.shell);
    if (shell === undefined) {
      throw new UsageError(`completion '${line.args.shell}': expected bash, zsh or fish`);
    }
    io.stdout.write(completionScript(shell));
    return EXIT_OK;
  }
  const settings = await resolveSettings(line.options, line.inputs, environmentOf(io));
  const config = await compileRunConfig(settings);
  for (const warning of config.warnings) io.warn(`warning: --filter: ${warning}`);
  const run = RUNNERS[line.command] as Runner<typeof line.command>;
  return run(line as never, config, io);
}

/** Runs dynlog with these arguments; resolves to the exit status. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const parsed = parseArgs(argv);
  switch (parsed.kind) {
    case "version":
      io.stdout.write(`${packageVersion()}\n`);
      return EXIT_OK;
    case "help": {
      const { helpText } = await import("./help.js");
      const columns = (io.stdout as NodeJS.WriteStream).columns;
      io.stdout.write(helpText(parsed.command, Math.min(100, columns || 100)));
      return EXIT_OK;
    }
    case "usage":
      io.warn(parsed.message);
      io.warn(`try 'dynlog ${parsed.command === null ? "" : `${parsed.command} `}--help'`);
      return EXIT_USAGE;
  }
  try {
    return await runCommand(parsed, io);
  } catch (err) {
    if (err instanceof UsageError) {
      for (const line of err.message.split("\n")) io.warn(line);
      return EXIT_USAGE;
    }
    throw err;
  }
}
