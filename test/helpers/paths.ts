/**
 * Paths and the environment the tests use: the repository root, the built CLI, fixtures and the conformance cases
 * (the repository's copy in test/conformance/data/, refreshed by `npm run refresh-conformance`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** dist/test/helpers -> repository root. */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const BIN = `${ROOT}bin/dynlog`;
export const FIXTURES = `${ROOT}fixtures/`;
export const CONFORMANCE = `${ROOT}test/conformance/data/`;

/** The environment commands run in: colour left to the command line, times in UTC. */
export const TEST_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  NO_COLOR: "",
  FORCE_COLOR: "",
  TZ: "UTC",
};

const scratch: string[] = [];
/**
 * A new directory under the system's temporary one, named after `what`, removed with what it holds
 * when the test process exits (however its suites ended).
 */
export function scratchDir(what: string): string {
  const dir = mkdtempSync(join(tmpdir(), `dynlog-${what}-`));
  if (scratch.length === 0) {
    process.on("exit", () => {
      for (const d of scratch) rmSync(d, { recursive: true, force: true });
    });
  }
  scratch.push(dir);
  return dir;
}
