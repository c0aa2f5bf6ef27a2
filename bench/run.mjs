// dynlog benchmark (`npm run bench`, which builds first): times the built bin/dynlog and the
// tools a user would otherwise use (cat, grep -F, jq, pino-pretty, lnav) on the same generated
// Dynamo logs, prints a table of median seconds, MB/s, peak RSS and speed ratios, and records
// everything in bench/results/<time>-<size>.json. See bench/README.md.

import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseOptions, USAGE, UsageError } from "./lib/args.mjs";
import { buildCases, displayCommand, unavailableReason } from "./lib/cases.mjs";
import { middleLookup, prepareData, warmPageCache } from "./lib/data.mjs";
import { findTimeTool, measure, median } from "./lib/measure.mjs";
import {
  computeRatios,
  formatCommands,
  formatNotes,
  formatTable,
  machineFacts,
  writeResults,
} from "./lib/report.mjs";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

function log(message) {
  process.stderr.write(`bench: ${message}\n`);
}

/** Why a run counts as failed, or null when it succeeded. */
function failureOf(run, timeoutMs) {
  if (run.error !== null) return `could not start: ${run.error}`;
  if (run.timedOut) return `timed out after ${timeoutMs / 1000} s`;
  if (run.signal !== null) return `killed by ${run.signal}`;
  if (run.exitCode === 0) return null;
  const lastLine = run.stderrTail.trim().split("\n").at(-1) ?? "";
  return `exit status ${run.exitCode}${lastLine === "" ? "" : `: ${lastLine}`}`;
}

async function bytesOf(paths) {
  let total = 0;
  for (const path of paths) total += (await stat(path)).size;
  return total;
}

function summarise(result) {
  const seconds = result.runs.map((r) => r.seconds);
  const rss = result.runs.map((r) => r.maxRssKB).filter((kb) => kb !== null);
  result.medianSeconds = median(seconds);
  result.mbPerSecond = result.inputBytes / 1e6 / result.medianSeconds;
  result.peakRssMB = rss.length === 0 ? null : (Math.max(...rss) * 1024) / 1e6;
  result.outBytes = result.warmup?.outBytes ?? null;
  result.outLines = result.warmup?.outLines ?? null;
  result.status = "ok";
  return result;
}

function fail(result, reason) {
  result.status = "failed";
  result.reason = reason;
  log(`${result.name}: FAILED: ${reason}`);
  return result;
}

/** Runs one case: an untimed warm-up whose output is counted, then the timed repetitions. */
async function runCase(c, ctx) {
  const { opts, timeTool, detected } = ctx;
  const result = {
    name: c.name,
    kind: c.kind,
    display: displayCommand(c, ROOT, ctx.dataDir),
    argv: c.argv,
    stdin: c.stdin ?? null,
    inputs: c.inputs,
    inputBytes: await bytesOf(c.inputs),
    compareTo: c.compareTo,
    note: c.note ?? null,
    status: "pending",
    reason: null,
    warmup: null,
    runs: [],
    medianSeconds: null,
    mbPerSecond: null,
    peakRssMB: null,
    outBytes: null,
    outLines: null,
  };
  const skip = unavailableReason(c, ROOT, detected);
  if (skip !== null) {
    log(`${c.name}: skipped: ${skip}`);
    return Object.assign(result, { status: "skipped", reason: skip });
  }
  warmPageCache(c.inputs);
  const spec = { argv: c.argv, stdin: c.stdin, timeTool, timeoutMs: opts.timeoutMs, cwd: ROOT };
  if (opts.warmup) {
    log(`${c.name}: warm-up`);
    result.warmup = await measure({ ...spec, countStdout: true });
    const bad = failureOf(result.warmup, opts.timeoutMs);
    if (bad !== null) return fail(result, `warm-up: ${bad}`);
  }
  for (let rep = 1; rep <= opts.reps; rep++) {
    const run = await measure({ ...spec, countStdout: false });
    result.runs.push(run);
    const bad = failureOf(run, opts.timeoutMs);
    if (bad !== null) return fail(result, `run ${rep}: ${bad}`);
    log(`${c.name}: run ${rep}/${opts.reps}: ${run.seconds.toFixed(3)} s`);
  }
  return summarise(result);
}

async function runAll(cases, opts, timeTool, dataDir) {
  const ctx = { opts, timeTool, dataDir, detected: new Map() };
  const results = [];
  for (const c of cases) {
    const result = await runCase(c, ctx);
    results.push(result);
    if (result.status === "failed" && !opts.keepGoing) {
      log("stopping at the first failure (use --keep-going to go on)");
      break;
    }
  }
  return results;
}

function inputText(data, opts) {
  const m = data.manifest;
  const mb = (m.totalBytes / 1e6).toFixed(1);
  const reuse = data.reused ? "cached" : "generated";
  return (
    `${mb} MB, ${m.lines} lines, ${m.requests} requests (--size ${opts.sizeLabel}, seed ` +
    `${opts.seed}, ${reuse} in ${data.dir.slice(ROOT.length + 1)}); ${opts.reps} timed rep(s)`
  );
}

function printReport(results, context) {
  const out = [
    `dynlog bench on ${context.machine.cpuModel} (${context.machine.cores} cores), ` +
      `Node ${context.machine.node}`,
    "",
    formatTable(results),
    "",
    "Notes:",
    formatNotes(results, context),
    "",
    "Commands:",
    formatCommands(results, context.dataDir),
    "",
  ];
  process.stdout.write(out.join("\n"));
}

async function main(argv) {
  const opts = parseOptions(argv);
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const timeTool = findTimeTool(opts.useTimeTool);
  if (timeTool === null) log("/usr/bin/time not used: measuring wall time only, RSS unknown");
  const data = await prepareData(ROOT, opts, log);
  const lookup = middleLookup(data.manifest);
  const cases = buildCases({ root: ROOT, data, lookup }).filter(
    (c) => opts.only?.test(c.name) ?? true,
  );
  if (cases.length === 0) throw new UsageError(`--only ${opts.only}: no case matches`);
  if (opts.list) {
    process.stdout.write(`D=${data.dir.slice(ROOT.length + 1)}\n`);
    for (const c of cases)
      process.stdout.write(`${c.name}  ${displayCommand(c, ROOT, data.dir)}\n`);
    return 0;
  }
  const startedAt = new Date().toISOString();
  const results = await runAll(cases, opts, timeTool, data.dir);
  computeRatios(results);
  const machine = machineFacts(ROOT, timeTool);
  printReport(results, {
    machine,
    timeTool,
    inputText: inputText(data, opts),
    dataDir: data.dir.slice(ROOT.length + 1),
  });
  const record = {
    startedAt,
    finishedAt: new Date().toISOString(),
    options: {
      size: opts.sizeLabel,
      sizeBytes: opts.sizeBytes,
      seed: opts.seed,
      reps: opts.reps,
      only: opts.only?.source ?? null,
      warmup: opts.warmup,
      timeoutSeconds: opts.timeoutMs / 1000,
    },
    machine,
    data: { ...data.manifest, dir: data.dir, reused: data.reused, lookupUsed: lookup },
    results,
  };
  log(`results written to ${writeResults(ROOT, record).slice(ROOT.length + 1)}`);
  return results.some((r) => r.status === "failed") ? 1 : 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`bench: ${error.message}\n${USAGE}`);
  process.exitCode = 2;
}
