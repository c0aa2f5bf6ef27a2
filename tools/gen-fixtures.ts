// Generates realistic NVIDIA Dynamo logs (JSONL mode) of a disaggregated deployment: an HTTP
// frontend, a prefill worker and a decode worker. Three modes: the bundled sample with planted
// oddities, the trace from Dynamo's documentation, and big files for benchmarks. Output is
// deterministic: the same arguments give byte-identical files on every machine.

import { parseArgs } from "node:util";
import { writeBig } from "./gen/big.js";
import { writeDocExample } from "./gen/doc-example.js";
import { writeSample } from "./gen/sample.js";
import { parseSize } from "./gen/size.js";

const DEFAULT_SEED = 20251031;

const USAGE = `Usage:
  node dist/tools/gen-fixtures.js [--seed N] <outdir>
      Sample logs with planted oddities: frontend.jsonl, prefill.jsonl, decode.jsonl,
      mixed.log (docker compose logs view) and a README.md saying what is where.
  node dist/tools/gen-fixtures.js --doc-example <outdir>
      The disaggregated trace from Dynamo's logging documentation, in created/ and
      first-entry/ (older SPAN_CREATED and newer SPAN_FIRST_ENTRY span events).
  node dist/tools/gen-fixtures.js --size <SIZE> --out <outdir> [--seed N]
      Big frontend.jsonl, prefill.jsonl, decode.jsonl totalling about SIZE, plus
      manifest.json (sizes, line and request counts, ids of three requests to look up).
      SIZE is a number with an optional unit: B (default), KB, MB, GB (powers of 1000)
      or KiB, MiB, GiB (powers of 1024), e.g. 100MB, 1GB.

Options:
  --out <outdir>   output directory (instead of the positional argument)
  --seed <N>       PRNG seed, a non-negative integer (default ${DEFAULT_SEED})
  -h, --help       show this help
`;

class UsageError extends Error {}

function parseSizeArg(text: string): number {
  try {
    return parseSize(text);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function parseSeed(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SEED;
  if (!/^\d+$/.test(text) || Number(text) > 0xffffffff) {
    throw new UsageError(`invalid seed (want an integer 0..4294967295): ${text}`);
  }
  return Number(text);
}

type Command =
  | { mode: "help" }
  | { mode: "sample"; outDir: string; seed: number }
  | { mode: "doc-example"; outDir: string }
  | { mode: "big"; outDir: string; bytes: number; seed: number };

function parseCommand(argv: string[]): Command {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { mode: "help" };
  const outDirs = [...(values.out === undefined ? [] : [values.out]), ...positionals];
  const [outDir] = outDirs;
  if (outDir === undefined || outDir === "") throw new UsageError("missing output directory");
  if (outDirs.length > 1) throw new UsageError(`too many output directories: ${outDirs.join(" ")}`);
  if (values["doc-example"]) {
    if (values.size !== undefined || values.seed !== undefined) {
      throw new UsageError("--doc-example takes no --size or --seed");
    }
    return { mode: "doc-example", outDir };
  }
  const seed = parseSeed(values.seed);
  if (values.size !== undefined)
    return { mode: "big", outDir, bytes: parseSizeArg(values.size), seed };
  return { mode: "sample", outDir, seed };
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: "boolean", short: "h" },
      "doc-example": { type: "boolean" },
      size: { type: "string" },
      out: { type: "string" },
      seed: { type: "string" },
    },
  });
}

async function run(command: Command): Promise<void> {
  switch (command.mode) {
    case "help":
      process.stdout.write(USAGE);
      return;
    case "sample":
      writeSample(command.outDir, command.seed);
      return;
    case "doc-example":
      writeDocExample(command.outDir);
      return;
    case "big": {
      const began = performance.now();
      const manifest = await writeBig(command.outDir, command.bytes, command.seed);
      const seconds = (performance.now() - began) / 1000;
      const megabytes = manifest.totalBytes / 1e6;
      process.stderr.write(
        `wrote ${megabytes.toFixed(1)} MB (${manifest.lines} lines, ${manifest.requests} requests) ` +
          `in ${seconds.toFixed(2)} s: ${(megabytes / seconds).toFixed(0)} MB/s\n`,
      );
      return;
    }
  }
}

async function main(argv: string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`gen-fixtures: ${error.message}\nTry --help for usage.\n`);
    return 2;
  }
  await run(command);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
