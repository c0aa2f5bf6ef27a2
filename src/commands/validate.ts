/**
 * `dynlog validate [inputs..]`: checks each JSON line against Dynamo's log-line schema (bridged
 * Python records against its `log.*` variant), reports torn records, invalid JSON and invalid
 * UTF-8, and checks that spans add up (warnings). See src/validate/ for the checks and the
 * report. This module is loaded with the option table, so the work itself (and ajv) is imported
 * only when the command runs.
 *
 * Receives: view options, a run configuration, where to write. Emits: the report; exit status 1
 * when a line is invalid or an input could not be read, else 0 (warnings alone do not fail).
 */
import type { CommandSpec } from "../cli/options.js";
import type { RunConfig } from "../cli/resolve.js";
import { themeFor } from "../render/theme.js";
import { InputFailures, type Io } from "./io.js";

export interface ValidateOptions {
  format: "text" | "json";
  /** Lines that are not JSON objects are errors. */
  strict: boolean;
}

export const VALIDATE_COMMAND: CommandSpec = {
  name: "validate",
  usage: "validate [inputs..]",
  summary: "check JSON lines against Dynamo's log schema and that spans add up; exit 1 if invalid",
  options: [
    {
      name: "format",
      type: "string",
      choices: ["text", "json"],
      default: "text",
      describe: "text (<source>:<line>: <problem>, then a summary) or json",
    },
    {
      name: "strict",
      type: "boolean",
      describe: "lines that are not JSON objects (tracebacks, prints, blank lines) are errors too",
    },
  ],
  examples: [
    ["dynlog validate frontend.jsonl prefill.jsonl decode.jsonl", "check a deployment's logs"],
    ["dynlog validate --strict --format json app.jsonl | jq .summary", "count problems by kind"],
  ],
};

export async function runValidate(
  options: ValidateOptions,
  config: RunConfig,
  io: Io,
): Promise<number> {
  const { validateInputs } = await import("../validate/run-validation.js");
  const failures = new InputFailures(io);
  const outcome = await validateInputs({
    sources: config.sources,
    filter: config.filter,
    format: options.format,
    strict: options.strict,
    stdout: io.stdout,
    onInputError: failures.report,
    unreadable: () => failures.count,
    view: { theme: themeFor(config.color), width: config.width },
  });
  if (outcome.outputClosed) return 0;
  return outcome.invalid || failures.count > 0 ? 1 : 0;
}
