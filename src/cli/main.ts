/**
 * Command-line entry: parses arguments with yargs from the option table, resolves a run
 * configuration, and hands it to the command. Exit status: 0 success, 1 nothing matched or an
 * input could not be read, 2 usage error. The pipeline never sees argv or process.exit.
 */
import { readFileSync } from "node:fs";
import type { Argv } from "yargs";
import { type Io, processIo } from "../commands/io.js";
import { COMMANDS, COMMON_OPTIONS, type OptionSpec } from "./options.js";
import { type ParsedOptions, resolveConfig, UsageError } from "./resolve.js";
import { parseDurationUs } from "./time-bound.js";

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

function addOptions(y: Argv, options: readonly OptionSpec[]): Argv {
  for (const o of options) {
    y.option(o.name, {
      type: o.type,
      describe: o.describe,
      requiresArg: o.type !== "boolean",
      ...(o.array ? { array: true } : {}),
      ...(o.choices ? { choices: o.choices as string[] } : {}),
      ...(o.default !== undefined ? { default: o.default } : {}),
      ...(o.alias ? { alias: o.alias } : {}),
    });
  }
  return y;
}

class YargsFailure extends Error {}

interface UsageInternals {
  getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } };
}

/**
 * yargs lays out a command's whole help text each time it runs the command, in case it is asked
 * for later; dynlog never asks (help is printed while parsing), and that layout was a fifth of
 * every command's start-up. Left alone if this yargs has no such internals.
 */
function skipHelpCache(y: Argv): void {
  const usage = (y as unknown as UsageInternals).getInternalMethods?.().getUsageInstance?.();
  if (usage?.cacheHelpMessage !== undefined) usage.cacheHelpMessage = () => {};
}

async function buildParser(argv: string[], io: Io): Promise<Argv> {
  const { default: yargs } = await import("yargs");
  let y: Argv = yargs(argv)
    .scriptName("dynlog")
    .usage("Usage: dynlog <command> [options] [inputs..]")
    .wrap(Math.min(100, process.stdout.columns || 100));
  y = addOptions(y, COMMON_OPTIONS).group(
    COMMON_OPTIONS.map((o) => o.name),
    "Options every command takes:",
  );
  for (const c of COMMANDS) {
    y = y.command(c.usage, c.summary, (cy) => {
      if (c.usage.includes("<id>")) {
        cy.positional("id", {
          type: "string",
          describe: "trace id, unique trace id prefix (6+ hex), or x_request_id / request_id value",
        });
      }
      cy.positional("inputs", {
        type: "string",
        array: true,
        describe: "files (plain or gzip), - for stdin, label=path to name a source",
      });
      for (const [cmd, text] of c.examples) cy.example(cmd, text);
      return addOptions(cy, c.options);
    });
  }
  skipHelpCache(y);
  return y
    .demandCommand(1, "a command is required")
    .strict()
    .help()
    .alias("h", "help")
    .version(packageVersion())
    .epilogue(
      "Inputs: files (plain or gzip), - for stdin (the default), label=path. Large files are read " +
        "with worker threads (DYNLOG_THREADS=0 turns them off). See dynlog(1).",
    )
    .exitProcess(false)
    .fail((message, err) => {
      io.warn(message ?? err?.message ?? "invalid arguments");
      throw new YargsFailure();
    });
}

/** Runs dynlog with these arguments; resolves to the exit status. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  // Answered before loading yargs: `--version` must be instant.
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    io.stdout.write(`${packageVersion()}\n`);
    return EXIT_OK;
  }
  let parsed: ParsedOptions & {
    _: (string | number)[];
    help?: boolean;
    version?: boolean;
    id?: string;
    format?: string;
    logs?: boolean;
    details?: boolean;
    sort?: string;
    limit?: number;
    to?: string;
    strict?: boolean;
    lines?: number;
    follow?: boolean;
    traces?: boolean;
    "max-traces"?: number;
    errors?: boolean;
    open?: boolean;
    "min-duration"?: string;
    service?: string;
    output?: string;
    detail?: number;
  };
  try {
    const parser = await buildParser(argv, io);
    parsed = (await parser.parseAsync()) as typeof parsed;
  } catch (err) {
    if (err instanceof YargsFailure) {
      io.warn("try 'dynlog --help'");
      return EXIT_USAGE;
    }
    throw err;
  }
  if (parsed.help || parsed.version) return EXIT_OK;
  const command = String(parsed._[0]);
  try {
    const config = await resolveConfig(parsed, {
      env: process.env,
      stdoutIsTTY: Boolean((io.stdout as NodeJS.WriteStream).isTTY),
      stdoutColumns: (io.stdout as NodeJS.WriteStream).columns,
      nowUs: Date.now() * 1000,
    });
    for (const warning of config.warnings) io.warn(`warning: ${warning}`);
    switch (command) {
      case "convert": {
        const { runConvert } = await import("../commands/convert.js");
        return await runConvert((parsed.to ?? "text") as "text" | "jsonl", config, io);
      }
      case "tail": {
        const { runTail } = await import("../commands/tail.js");
        const lines = parsed.lines ?? 10;
        const maxTraces = parsed["max-traces"] ?? 10000;
        for (const [name, value, min] of [
          ["--lines", lines, 0],
          ["--max-traces", maxTraces, 1],
        ] as const) {
          if (!Number.isInteger(value) || value < min) {
            throw new UsageError(`${name} ${value}: expected a whole number of at least ${min}`);
          }
        }
        const follow = parsed.follow !== false;
        return await runTail(
          { lines, follow, traces: parsed.traces === true, maxTraces },
          config,
          io,
        );
      }
      case "trace": {
        const { runTrace } = await import("../commands/trace.js");
        const options = {
          id: String(parsed.id ?? ""),
          format: (parsed.format ?? "waterfall") as "waterfall" | "tree" | "json" | "html",
          logs: parsed.logs === true,
          details: parsed.details === true,
        };
        return await runTrace(options, config, io);
      }
      case "traces": {
        const { runTraces } = await import("../commands/traces.js");
        const limit = parsed.limit;
        if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
          throw new UsageError(`--limit ${limit}: expected a whole number`);
        }
        const sort = (parsed.sort ?? "start") as "start" | "duration";
        const format = (parsed.format ?? "table") as "table" | "json";
        const minText = parsed["min-duration"];
        const minDurationUs = minText === undefined ? null : parseDurationUs(String(minText));
        if (minText !== undefined && minDurationUs === null) {
          throw new UsageError(
            `--min-duration ${minText}: expected a duration such as 500ms or 3s`,
          );
        }
        const select = {
          errors: parsed.errors === true,
          open: parsed.open === true,
          minDurationUs,
          service: parsed.service === undefined ? null : String(parsed.service),
        };
        return await runTraces({ sort, limit, format, select }, config, io);
      }
      case "stats": {
        const { runStats } = await import("../commands/traces.js");
        return await runStats((parsed.format ?? "table") as "table" | "json", config, io);
      }
      case "validate": {
        const { runValidate } = await import("../commands/validate.js");
        const format = (parsed.format ?? "text") as "text" | "json";
        return await runValidate({ format, strict: parsed.strict === true }, config, io);
      }
      case "report": {
        const { runReport } = await import("../commands/report.js");
        const detail = parsed.detail ?? 1000;
        if (!Number.isInteger(detail) || detail < 0) {
          throw new UsageError(`--detail ${detail}: expected a whole number`);
        }
        return await runReport(
          { output: parsed.output ?? "dynlog-report.html", detail },
          config,
          io,
        );
      }
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.warn(err.message);
      return EXIT_USAGE;
    }
    throw err;
  }
}
