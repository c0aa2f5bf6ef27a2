// Reporting: the results table and notes printed on stdout, the speed ratios of dynlog cases to
// their peers, machine and tool facts, and the full JSON record in bench/results/.

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";

/** Speed of dynlog relative to each peer: peer median seconds / dynlog median seconds. */
export function computeRatios(results) {
  const byName = new Map(results.map((r) => [r.name, r]));
  for (const r of results) {
    r.ratios = {};
    if (r.kind !== "dynlog" || r.medianSeconds === null) continue;
    for (const peer of r.compareTo) {
      const p = byName.get(peer);
      if (p?.medianSeconds != null) r.ratios[peer] = p.medianSeconds / r.medianSeconds;
    }
  }
}

function firstLine(argv, cwd) {
  const result = spawnSync(argv[0], argv.slice(1), { cwd, encoding: "utf8", timeout: 10_000 });
  if (result.status !== 0 || typeof result.stdout !== "string") return null;
  return result.stdout.split("\n")[0].trim() || null;
}

function packageVersion(root, name) {
  try {
    return JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8"))
      .version;
  } catch {
    return null;
  }
}

/** Facts that make a result comparable with another: hardware, OS, Node, tool versions. */
export function machineFacts(root, timeTool) {
  const cpus = os.cpus();
  const dirty = firstLine(["git", "status", "--porcelain"], root);
  return {
    cpuModel: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    totalMemoryMB: Math.round(os.totalmem() / 1e6),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    timeTool,
    tools: {
      dynlog: firstLine([process.execPath, "bin/dynlog", "--version"], root),
      git: firstLine(["git", "rev-parse", "HEAD"], root),
      gitDirty: dirty !== null,
      cat: firstLine(["cat", "--version"], root),
      grep: firstLine(["grep", "--version"], root),
      jq: firstLine(["jq", "--version"], root),
      "pino-pretty": packageVersion(root, "pino-pretty"),
      lnav: firstLine(["lnav", "-V"], root),
    },
  };
}

function fixed(value, digits) {
  return value === null || value === undefined ? "-" : value.toFixed(digits);
}

/** 123x, 4.56x, 0.012x: two decimals from 1 up, two significant digits below. */
function ratioNumber(x) {
  if (x >= 100) return x.toFixed(0);
  return x >= 1 ? x.toFixed(2) : x.toPrecision(2);
}

function ratioText(r) {
  const parts = Object.entries(r.ratios ?? {}).map(([peer, x]) => `${peer} ${ratioNumber(x)}x`);
  return parts.join(", ");
}

function rowOf(r) {
  if (r.status === "skipped") return [r.name, "skipped", "", "", "", ""];
  if (r.status === "failed") return [r.name, "FAILED", "", "", "", ""];
  return [
    r.name,
    fixed(r.medianSeconds, 3),
    r.inputBytes === 0 ? "-" : fixed(r.mbPerSecond, 1),
    fixed(r.peakRssMB, 1),
    r.outLines === null ? "-" : String(r.outLines),
    ratioText(r),
  ];
}

/** The aligned text table: numbers right-aligned, names and ratios left-aligned. */
export function formatTable(results) {
  const header = ["case", "seconds", "MB/s", "peak RSS MB", "out lines", "speed vs peers"];
  const rows = [header, ...results.map(rowOf)];
  const widths = header.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const left = new Set([0, 5]);
  const cell = (text, i) => (left.has(i) ? text.padEnd(widths[i]) : text.padStart(widths[i]));
  const lines = rows.map((row) => row.map(cell).join("  ").trimEnd());
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  return lines.join("\n");
}

/** Notes: what each ratio means, what was skipped or failed and why, how peers differ. */
export function formatNotes(results, context) {
  const notes = [
    `input: ${context.inputText}`,
    "seconds: median wall time of the timed runs; MB/s: input bytes / seconds (1 MB = 10^6 B)",
    "speed vs peers: peer seconds / dynlog seconds (above 1: dynlog is faster)",
    "out lines: lines written by the untimed warm-up run (same command, stdout counted)",
  ];
  if (context.timeTool === null) notes.push("peak RSS unknown: /usr/bin/time not used");
  for (const r of results) {
    if (r.status === "skipped") notes.push(`${r.name}: skipped: ${r.reason}`);
    else if (r.status === "failed") notes.push(`${r.name}: FAILED: ${r.reason}`);
  }
  for (const r of results) {
    if (r.status !== "skipped" && r.note) notes.push(`${r.name}: ${r.note}`);
  }
  return notes.map((n) => `- ${n}`).join("\n");
}

/** The commands as run, one per line, after the D=<data directory> they refer to. */
export function formatCommands(results, dataDir) {
  const width = Math.max(...results.map((r) => r.name.length));
  const lines = results.map((r) => `${r.name.padEnd(width)}  ${r.display}`);
  return [`D=${dataDir}`, ...lines].join("\n");
}

/** Writes bench/results/<ISO time>-<size>.json and returns its path. */
export function writeResults(root, record) {
  const dir = join(root, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const stamp = record.startedAt.replace(/\.\d+Z$/, "Z").replaceAll(":", "-");
  const path = join(dir, `${stamp}-${record.options.size}.json`);
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
  return path;
}
