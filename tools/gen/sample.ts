// The bundled sample: 25 requests over about 30 s, with the oddities real logs have planted at
// known places (a torn record, an orphan SPAN_CLOSED, a killed worker, an ERROR with its
// traceback, stderr noise) and a README that records where they ended up.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createDeployment, EngineStats, emitStartup, endOf, INSTANCE_IDS } from "./deployment.js";
import { MemorySink } from "./output.js";
import { Rng } from "./random.js";
import { fields, u64 } from "./render.js";
import type { RequestPlan } from "./requests.js";
import { cancel, emitRequest, kill, planRequest } from "./requests.js";
import { describeSample, type SampleRun } from "./sample-readme.js";
import { frontendSites } from "./sites.js";

const REQUESTS = 25;
// Arrivals are Poisson-like, but stretched so the requests always cover about 30 s.
const ARRIVALS_SPAN_US = 29_000_000;
const WITHOUT_ID = new Set([3, 9, 16, 21]);
const ORPHAN_CLOSE = 6;
const KV_PRESSURE = 8;
const TORN = 11;
const CANCELLED = 14;
const PROGRESS = [4, 18];
const EMPTY_LINE = 18;
// Deployment start: 2025-11-04T09:11:47.318402Z.
const T0 = Date.UTC(2025, 10, 4, 9, 11, 47) * 1000 + 318_402;

export function writeSample(outDir: string, seed: number): void {
  const run = generateSample(seed);
  mkdirSync(outDir, { recursive: true });
  for (const file of Object.values(run.files)) {
    writeFileSync(join(outDir, file.name), file.sink.text());
  }
  writeFileSync(join(outDir, "README.md"), describeSample(run));
}

function generateSample(seed: number): SampleRun {
  const rng = new Rng(seed);
  const files = {
    frontend: { name: "frontend.jsonl", sink: new MemorySink() },
    prefill: { name: "prefill.jsonl", sink: new MemorySink() },
    decode: { name: "decode.jsonl", sink: new MemorySink() },
    mixed: { name: "mixed.log", sink: new MemorySink() },
  };
  const deployment = createDeployment({
    generations: { frontend: "created", prefill: "first-entry", decode: "first-entry" },
    sinks: {
      frontend: files.frontend.sink,
      prefill: files.prefill.sink,
      decode: files.decode.sink,
    },
    mixedSink: files.mixed.sink,
  });
  const otlp = { frontend: true, prefill: true, decode: false };
  const ready = emitStartup(deployment, T0, rng, otlp);
  const stats = new EngineStats(deployment, rng, ready);
  const plans = planSample(rng, ready);
  for (const plan of plans) {
    stats.advanceTo(plan.frontend.start);
    emitRequest(deployment, plan, rng);
  }
  const killedAt = plans.at(-1)?.cutAt ?? ready;
  // The frontend drops the dead worker once its discovery lease expires.
  const expired = killedAt + rng.int(9_800_000, 10_200_000);
  const removed = fields({ component: "backend", instance_id: u64(INSTANCE_IDS.decode) });
  deployment.frontend.record(expired, frontendSites.instanceRemoved, "removed instance", removed);
  stats.advanceTo(expired + 1_000_000);
  for (const stream of deployment.streams) stream.drain();
  return { seed, plans, files, killedAt };
}

function planSample(rng: Rng, firstAt: number): RequestPlan[] {
  const plans: RequestPlan[] = [];
  const gaps = Array.from({ length: REQUESTS - 1 }, () => rng.exponential(1) + 0.02);
  const scale = ARRIVALS_SPAN_US / gaps.reduce((sum, gap) => sum + gap, 0);
  let start = firstAt;
  for (let index = 0; index < REQUESTS - 1; index++) {
    const plan = planRequest(rng, index, start, { withId: !WITHOUT_ID.has(index) });
    plan.quirks = {
      orphanClose: index === ORPHAN_CLOSE,
      tornPrefill: index === TORN,
      progressLine: PROGRESS.includes(index),
      emptyLine: index === EMPTY_LINE,
      kvPressure: index === KV_PRESSURE || rng.chance(0.1),
    };
    if (index === CANCELLED) {
      cancel(plan, plan.decode.start + Math.round(plan.decode.idle * 0.4), rng);
    }
    plans.push(plan);
    start += Math.round((gaps[index] ?? 1) * scale);
  }
  plans.push(planKilled(rng, plans));
  return plans;
}

/** The last request is still decoding when the decode worker is killed, and nothing else is. */
function planKilled(rng: Rng, earlier: readonly RequestPlan[]): RequestPlan {
  const lastDecodeEnd = Math.max(...earlier.map((plan) => endOf(plan.decode)));
  const previousStart = earlier.at(-1)?.frontend.start ?? 0;
  const start = Math.max(lastDecodeEnd - 400_000, previousStart + 150_000);
  const plan = planRequest(rng, earlier.length, start, { minTokens: 300 });
  const killAt = Math.max(plan.decode.start + 1_200_000, lastDecodeEnd + 150_000);
  if (killAt >= endOf(plan.decode)) throw new Error("killed request would finish before the kill");
  kill(plan, killAt, rng);
  return plan;
}
