/**
 * `dynlog validate [inputs..]`: checks each JSON line against Dynamo's log-line schema (bridged
 * Python records against its `log.*` variant), reports torn records, invalid JSON and invalid
 * UTF-8, and checks that spans add up (warnings). See src/validate/ for the checks and the
 * report. The work itself (and ajv) is imported only when the command runs.
 *
 * Receives: view options, a run configuration, where to write. Emits: the report; exit status 1
 * when a line is invalid or an input could not be read, else 0 (warnings alone do not fail).
 */
import type { RunConfig } from "../config/run-config.js";
import { themeFor } from "../render/theme.js";
import { InputFailures, type Io } from "./io.js";

export interface ValidateOptions {
  format: "text" | "json";
  /** Lines that are not JSON objects are errors. */
  strict: boolean;
}

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
