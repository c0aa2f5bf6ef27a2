// Command-line options of the benchmark harness (bench/run.mjs): usage text, parsing, and the
// size syntax shared with the fixture generator (B, KB, MB, GB in powers of 1000; KiB, MiB, GiB
// in powers of 1024).

import { parseArgs } from "node:util";
import { parseSize as parseGeneratorSize } from "../../dist/tools/gen/size.js";

export const DEFAULT_SEED = 20251031;

export const USAGE = `Usage: npm run bench -- [options]
       node bench/run.mjs [options]      (after npm run build)

Times the built dynlog (bin/dynlog) against the tools a user would otherwise use (cat, grep -F,
jq, pino-pretty, lnav) on the same generated Dynamo logs, and prints the median time, throughput,
peak RSS and dynlog's speed relative to each peer. Results also go to bench/results/*.json.

Options:
  --size <SIZE>      size of the generated logs, e.g. 200MB, 1GB, 512MiB (default 1GB);
                     cached in bench/cache/<size>-<seed>/ and reused
  --seed <N>         generator seed (default ${DEFAULT_SEED})
  --reps <N>         timed repetitions per case; the median is reported (default 3)
  --only <regex>     run only the cases whose name matches (e.g. 'convert', '^dynlog-trace')
  --keep-going       record a failing case and go on (default: stop at the first failure)
  --no-warmup        skip the untimed first run of each case (it also measures output size)
  --no-time-tool     do not use /usr/bin/time even if present (wall time only, RSS unknown)
  --timeout <s>      kill a run after this many seconds (default 1800)
  --list             print the case names and commands, run nothing
  -h, --help         show this help

Exit status: 0 when every case that ran succeeded, 1 when one failed, 2 for a usage error.
`;

export class UsageError extends Error {}

/** Parses "100MB", "1GB", "512MiB", "12345" into bytes, with the generator's own parser. */
export function parseSize(text) {
  try {
    return parseGeneratorSize(text);
  } catch (err) {
    throw new UsageError(err.message);
  }
}

function parseCount(text, name, min) {
  if (!/^\d+$/.test(text) || Number(text) < min) {
    throw new UsageError(`${name} wants an integer >= ${min}: ${text}`);
  }
  return Number(text);
}

function parseRegex(text) {
  if (text === undefined) return null;
  try {
    return new RegExp(text);
  } catch (error) {
    throw new UsageError(`--only: ${error.message}`);
  }
}

/** Returns the options object the harness works with, or throws UsageError. */
export function parseOptions(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        size: { type: "string", default: "1GB" },
        seed: { type: "string", default: String(DEFAULT_SEED) },
        reps: { type: "string", default: "3" },
        only: { type: "string" },
        "keep-going": { type: "boolean", default: false },
        "no-warmup": { type: "boolean", default: false },
        "no-time-tool": { type: "boolean", default: false },
        timeout: { type: "string", default: "1800" },
        list: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error.message);
  }
  const v = parsed.values;
  const sizeLabel = v.size.replace(/\s+/g, "");
  return {
    help: v.help,
    list: v.list,
    sizeLabel,
    sizeBytes: parseSize(v.size),
    seed: parseCount(v.seed, "--seed", 0),
    reps: parseCount(v.reps, "--reps", 1),
    only: parseRegex(v.only),
    keepGoing: v["keep-going"],
    warmup: !v["no-warmup"],
    useTimeTool: !v["no-time-tool"],
    timeoutMs: parseCount(v.timeout, "--timeout", 1) * 1000,
  };
}
