// Big logs for benchmarks: the same deployment under steady load until the three files reach
// the requested total size. Lines stream through small heaps into double-buffered chunked
// writes, so memory stays flat whatever the size.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Service } from "./deployment.js";
import { createDeployment, EngineStats, emitStartup, SERVICES } from "./deployment.js";
import { FileSink } from "./output.js";
import { Rng } from "./random.js";
import { formatTime } from "./render.js";
import type { RequestPlan } from "./requests.js";
import { cancel, emitRequest, planRequest } from "./requests.js";

// About 12 requests per second: a busy but not saturated deployment.
const MEAN_GAP_US = 80_000;
// Deployment start: 2025-11-05T00:00:03.500000Z.
const T0 = Date.UTC(2025, 10, 5, 0, 0, 3) * 1000 + 500_000;
const LOOKUP_POSITIONS = [
  { position: "early", fraction: 0.1 },
  { position: "middle", fraction: 0.5 },
  { position: "late", fraction: 0.9 },
] as const;

export interface Lookup {
  readonly position: string;
  readonly index: number;
  readonly start: string;
  readonly traceId: string;
  readonly xRequestId: string;
}

export interface Manifest {
  readonly seed: number;
  readonly targetBytes: number;
  readonly totalBytes: number;
  readonly lines: number;
  readonly requests: number;
  readonly files: Record<string, { readonly bytes: number; readonly lines: number }>;
  readonly lookups: readonly Lookup[];
}

export async function writeBig(
  outDir: string,
  targetBytes: number,
  seed: number,
): Promise<Manifest> {
  mkdirSync(outDir, { recursive: true });
  const rng = new Rng(seed);
  const sinks = {
    frontend: new FileSink(join(outDir, "frontend.jsonl")),
    prefill: new FileSink(join(outDir, "prefill.jsonl")),
    decode: new FileSink(join(outDir, "decode.jsonl")),
  };
  const deployment = createDeployment({
    generations: { frontend: "created", prefill: "first-entry", decode: "first-entry" },
    sinks,
  });
  const ready = emitStartup(deployment, T0, rng, { frontend: true, prefill: true, decode: true });
  const stats = new EngineStats(deployment, rng, ready);
  const size = () =>
    SERVICES.reduce((sum, service) => sum + sinks[service].approxBytes(), 0) +
    deployment.streams.reduce((sum, stream) => sum + stream.queuedChars, 0);
  const startupBytes = size();
  const lookups: Lookup[] = [];
  let requests = 0;
  for (let start = ready; ; start += Math.round(rng.exponential(MEAN_GAP_US)) + 100) {
    stats.advanceTo(start);
    for (const stream of deployment.streams) stream.flushBefore(start);
    const written = size();
    // Stop when one more request would overshoot by more than it undershoots now.
    const perRequest = requests === 0 ? 10_000 : (written - startupBytes) / requests;
    if (written + perRequest / 2 >= targetBytes) break;
    const plan = planLoadRequest(rng, requests, start);
    // Benchmarks look up requests early, midway and late in the files.
    const due = LOOKUP_POSITIONS[lookups.length];
    if (due !== undefined && written >= due.fraction * targetBytes && plan.xRequestId) {
      lookups.push(lookupOf(due.position, plan, plan.xRequestId));
    }
    emitRequest(deployment, plan, rng);
    requests++;
    for (const service of SERVICES) if (sinks[service].full) await sinks[service].rotate();
  }
  for (const stream of deployment.streams) stream.drain();
  for (const service of SERVICES) await sinks[service].close();
  const manifest = manifestOf(seed, targetBytes, sinks, requests, lookups);
  writeFileSync(join(outDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Ordinary traffic: no planted damage, but the occasional cancel and stderr progress bar. */
function planLoadRequest(rng: Rng, index: number, start: number): RequestPlan {
  const plan = planRequest(rng, index, start, { withId: rng.chance(0.92) });
  plan.quirks = { progressLine: rng.chance(1 / 150), kvPressure: rng.chance(0.04) };
  if (rng.chance(1 / 400)) {
    cancel(plan, plan.decode.start + Math.round(plan.decode.idle * rng.next() * 0.8), rng);
  }
  return plan;
}

function lookupOf(position: string, plan: RequestPlan, xRequestId: string): Lookup {
  const start = formatTime(plan.frontend.start);
  return { position, index: plan.index, start, traceId: plan.traceId, xRequestId };
}

function manifestOf(
  seed: number,
  targetBytes: number,
  sinks: Readonly<Record<Service, FileSink>>,
  requests: number,
  lookups: readonly Lookup[],
): Manifest {
  const files: Record<string, { bytes: number; lines: number }> = {};
  let totalBytes = 0;
  let lines = 0;
  for (const service of SERVICES) {
    const sink = sinks[service];
    files[`${service}.jsonl`] = { bytes: sink.bytes, lines: sink.lineCount };
    totalBytes += sink.bytes;
    lines += sink.lineCount;
  }
  return { seed, targetBytes, totalBytes, lines, requests, files, lookups };
}
