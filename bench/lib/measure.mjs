// Runs one command and measures it: wall time (hrtime in this process) and, through
// /usr/bin/time -f when it exists, peak RSS and CPU time of the measured process itself (no shell
// in between). stdout always goes through a pipe: drained, or with its bytes and lines counted.
// Never /dev/null: GNU grep notices it and stops at the first match (as with -q), which would time
// a different job from the one the other tools do.

import { spawn } from "node:child_process";
import { accessSync, closeSync, constants, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const TIME_TOOL = "/usr/bin/time";
const STDERR_KEEP = 4096;

/** Path of GNU time when it can be used, else null (wall time only, RSS unknown). */
export function findTimeTool(wanted) {
  if (!wanted) return null;
  try {
    accessSync(TIME_TOOL, constants.X_OK);
    return TIME_TOOL;
  } catch {
    return null;
  }
}

/**
 * The environment every run gets: no colour anywhere, so that no tool pays for escapes; and no
 * NODE_EXTRA_CA_CERTS, which a machine behind a TLS-inspecting proxy sets (this one does): Node
 * then reads the named certificates at every start, 35 ms of CPU for the system bundle, and no
 * tool here makes a TLS connection.
 */
export function benchEnv() {
  const env = { ...process.env, NO_COLOR: "1" };
  delete env.FORCE_COLOR;
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** Parses the last line of `time -f "%e %M %U %S"` output ("Command exited ..." may precede). */
function parseTimeReport(text) {
  const lines = text.trim().split("\n");
  const fields = (lines.at(-1) ?? "").trim().split(/\s+/).map(Number);
  if (fields.length !== 4 || fields.some((n) => !Number.isFinite(n))) return null;
  const [elapsed, maxRssKB, user, sys] = fields;
  return { elapsed, maxRssKB, userSeconds: user, sysSeconds: sys };
}

function countOutput(stream, counts) {
  stream.on("data", (chunk) => {
    counts.bytes += chunk.length;
    let at = chunk.indexOf(10);
    while (at !== -1) {
      counts.lines += 1;
      at = chunk.indexOf(10, at + 1);
    }
  });
}

function keepTail(stream, sink) {
  stream.on("data", (chunk) => {
    sink.text = (sink.text + chunk.toString("utf8")).slice(-STDERR_KEEP);
  });
}

function openStdio(stdinPath) {
  const stdin = stdinPath === undefined ? "ignore" : openSync(stdinPath, "r");
  return { stdin, stdout: "pipe", fds: typeof stdin === "number" ? [stdin] : [] };
}

function waitForExit(child, timeoutMs) {
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, error, timedOut });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, error: null, timedOut });
    });
  });
}

/**
 * Runs argv once. spec: { argv, stdin?, countStdout?, timeTool, timeoutMs, cwd }.
 * Returns { seconds, exitCode, signal, timedOut, maxRssKB, userSeconds, sysSeconds, timeToolSeconds,
 * outBytes, outLines, stderrTail, error }.
 */
export async function measure(spec) {
  const reportPath = join(tmpdir(), `dynlog-bench-${process.pid}-${Date.now()}.time`);
  const [command, ...args] = spec.timeTool
    ? [spec.timeTool, "-f", "%e %M %U %S", "-o", reportPath, ...spec.argv]
    : spec.argv;
  const io = openStdio(spec.stdin);
  const counts = { bytes: 0, lines: 0 };
  const stderr = { text: "" };
  const started = process.hrtime.bigint();
  const child = spawn(command, args, {
    cwd: spec.cwd,
    env: benchEnv(),
    detached: true,
    stdio: [io.stdin, io.stdout, "pipe"],
  });
  if (spec.countStdout) countOutput(child.stdout, counts);
  else child.stdout.resume();
  if (child.stderr) keepTail(child.stderr, stderr);
  const exit = await waitForExit(child, spec.timeoutMs);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const fd of io.fds) closeSync(fd);
  const report = spec.timeTool ? readReport(reportPath) : null;
  return {
    seconds,
    exitCode: exit.code,
    signal: exit.signal,
    timedOut: exit.timedOut,
    maxRssKB: report?.maxRssKB ?? null,
    userSeconds: report?.userSeconds ?? null,
    sysSeconds: report?.sysSeconds ?? null,
    timeToolSeconds: report?.elapsed ?? null,
    outBytes: spec.countStdout ? counts.bytes : null,
    outLines: spec.countStdout ? counts.lines : null,
    stderrTail: stderr.text,
    error: exit.error ? exit.error.message : null,
  };
}

function readReport(path) {
  try {
    return parseTimeReport(readFileSync(path, "utf8"));
  } catch {
    return null;
  } finally {
    rmSync(path, { force: true });
  }
}

/** Median of a non-empty list of numbers (mean of the middle two for even lengths). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
