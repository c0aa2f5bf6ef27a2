// Measures `dynlog tail`: latency from appending a line to seeing it on dynlog's stdout (median,
// p95 over N appends), and CPU used while following three quiet files for a while.
// Usage: node bench/tail-latency.mjs [--appends 100] [--idle-seconds 10]
import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../bin/dynlog", import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const appends = arg("appends", 100);
const idleSeconds = arg("idle-seconds", 10);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

const dir = mkdtempSync(join(tmpdir(), "dynlog-latency-"));
const files = ["a", "b", "c"].map((n) => join(dir, `${n}.log`));
for (const f of files) writeFileSync(f, "");
const child = spawn(process.execPath, [bin, "tail", "-n", "0", "--color", "never", ...files]);
const seen = new Map();
let buffer = "";
child.stdout.on("data", (d) => {
  const now = performance.now();
  buffer += d.toString();
  for (const m of buffer.matchAll(/probe (\d+)/g)) if (!seen.has(m[1])) seen.set(m[1], now);
});
await sleep(1000);

const sent = new Map();
for (let i = 0; i < appends; i++) {
  sent.set(String(i), performance.now());
  appendFileSync(
    files[i % 3],
    `{"time":"2025-01-01T00:00:00Z","level":"INFO","target":"t","message":"probe ${i}"}\n`,
  );
  await sleep(20);
}
await sleep(500);
const latencies = [...sent]
  .filter(([id]) => seen.has(id))
  .map(([id, t]) => seen.get(id) - t)
  .sort((a, b) => a - b);
const at = (p) =>
  latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];

const hz = 100;
const before = cpuTicks(child.pid);
await sleep(idleSeconds * 1000);
const after = cpuTicks(child.pid);
child.kill("SIGINT");

const result = {
  appends,
  shown: latencies.length,
  latency_ms: {
    median: +at(50).toFixed(2),
    p95: +at(95).toFixed(2),
    max: +latencies.at(-1).toFixed(2),
  },
  idle: {
    seconds: idleSeconds,
    files: 3,
    cpu_seconds: (after - before) / hz,
    cpu_percent: +((100 * (after - before)) / hz / idleSeconds).toFixed(3),
  },
};
console.log(JSON.stringify(result, null, 2));
