// The three processes of a disaggregated deployment and what each writes on its own:
// start-up lines, span lifecycle markers, periodic engine statistics.

import type { LineSink } from "./output.js";
import { OrderedStream } from "./output.js";
import type { Rng } from "./random.js";
import type { Field, Site, Span, SpanIds } from "./render.js";
import { fields, float, makeSpan, renderRecord, u64 } from "./render.js";
import {
  common,
  frontendSites,
  MODEL,
  NAMESPACE,
  rawLines,
  TEMPO_ENDPOINT,
  workerSites,
} from "./sites.js";

export type Service = "frontend" | "prefill" | "decode";
export type Worker = Exclude<Service, "frontend">;
export const SERVICES: readonly Service[] = ["frontend", "prefill", "decode"];

/** Older Dynamo logs SPAN_CREATED when a span is created, newer Dynamo SPAN_FIRST_ENTRY. */
export type Generation = "created" | "first-entry";
const OPEN_MARKER: Record<Generation, string> = {
  created: "SPAN_CREATED",
  "first-entry": "SPAN_FIRST_ENTRY",
};

export const INSTANCE_IDS: Record<Worker, string> = {
  prefill: "3866790875219207267",
  decode: "3866790875219207263",
};
const COMPONENT: Record<Worker, string> = { prefill: "prefill", decode: "backend" };

/** Microseconds; the span lasts busy + idle, as tracing-subscriber accounts it. */
export interface Timing {
  readonly start: number;
  readonly busy: number;
  readonly idle: number;
}

export const endOf = (timing: Timing): number => timing.start + timing.busy + timing.idle;

export const timing = (start: number, duration: number, busy: number): Timing => ({
  start,
  busy,
  idle: duration - busy,
});

export interface WriteOptions {
  readonly lines?: number;
  readonly tag?: string | undefined;
  /** What `docker compose logs` shows instead, when the file copy is damaged. */
  readonly mixedText?: string;
}

/** One process's log, optionally mirrored into a `docker compose logs` view. */
export class ComponentLog {
  /** A killed process writes nothing more: lines from this time on are dropped. */
  diesAt = Number.POSITIVE_INFINITY;
  private readonly prefix: string;

  constructor(
    readonly service: Service,
    readonly generation: Generation,
    private readonly out: OrderedStream,
    private readonly mixed: OrderedStream | undefined,
    private readonly counter: { seq: number },
  ) {
    // Compose pads "<service>-1" to the longest name plus one, then writes " | ".
    this.prefix = `${`${service}-1`.padEnd(11)} | `;
  }

  write(t: number, text: string, options: WriteOptions = {}): void {
    if (t >= this.diesAt) return;
    const { lines = 1, tag } = options;
    this.out.push({ t, seq: this.counter.seq++, text, lines, tag });
    if (this.mixed === undefined) return;
    const whole = (options.mixedText ?? text).split("\n").slice(0, -1);
    const prefixed = whole.map((line) => `${this.prefix}${line}\n`).join("");
    this.mixed.push({ t, seq: this.counter.seq++, text: prefixed, lines: whole.length, tag });
  }

  record(t: number, site: Site, message: string, extra: readonly Field[] = [], tag?: string): void {
    this.write(t, renderRecord(t, site, message, extra), { tag });
  }

  inSpan(
    span: Span,
    t: number,
    site: Site,
    message: string,
    extra: readonly Field[] = [],
    tag?: string,
  ): void {
    this.write(t, renderRecord(t, site, message, span.fields, extra), { tag });
  }

  open(span: Span, t: number, tag?: string): void {
    this.write(t, renderRecord(t, span.site, OPEN_MARKER[this.generation], span.fields), { tag });
  }

  close(span: Span, lifetime: Timing, tag?: string): void {
    const duration = lifetime.busy + lifetime.idle;
    const times = fields({
      "time.busy_us": lifetime.busy,
      "time.duration_us": duration,
      "time.idle_us": lifetime.idle,
    });
    const t = lifetime.start + duration;
    this.write(t, renderRecord(t, span.site, "SPAN_CLOSED", span.fields, times), { tag });
  }

  raw(t: number, lines: readonly string[], tag?: string): void {
    this.write(t, lines.map((line) => `${line}\n`).join(""), { lines: lines.length, tag });
  }
}

export interface Deployment {
  readonly frontend: ComponentLog;
  readonly prefill: ComponentLog;
  readonly decode: ComponentLog;
  readonly streams: readonly OrderedStream[];
}

export interface DeploymentOptions {
  readonly generations: Readonly<Record<Service, Generation>>;
  readonly sinks: Readonly<Record<Service, LineSink>>;
  readonly mixedSink?: LineSink;
}

export function createDeployment(options: DeploymentOptions): Deployment {
  const counter = { seq: 0 };
  const mixed = options.mixedSink === undefined ? undefined : new OrderedStream(options.mixedSink);
  const logOf = (service: Service): [ComponentLog, OrderedStream] => {
    const out = new OrderedStream(options.sinks[service]);
    return [new ComponentLog(service, options.generations[service], out, mixed, counter), out];
  };
  const [frontend, frontendOut] = logOf("frontend");
  const [prefill, prefillOut] = logOf("prefill");
  const [decode, decodeOut] = logOf("decode");
  const streams = [frontendOut, prefillOut, decodeOut];
  return {
    frontend,
    prefill,
    decode,
    streams: mixed === undefined ? streams : [...streams, mixed],
  };
}

export function frontendSpan(ids: Omit<SpanIds, "name">): Span {
  const own = { method: "POST", uri: "/v1/chat/completions", version: "HTTP/1.1" };
  return makeSpan(frontendSites.httpRequestSpan, { ...ids, name: "http-request" }, own);
}

export function workerSpan(worker: Worker, ids: Omit<SpanIds, "name">): Span {
  const own = {
    component: COMPONENT[worker],
    endpoint: "generate",
    namespace: NAMESPACE,
    instance_id: u64(INSTANCE_IDS[worker]),
  };
  return makeSpan(workerSites.handlePayloadSpan, { ...ids, name: "handle_payload" }, own);
}

/** The service announcement every component logs once, first thing. */
export function announceService(log: ComponentLog, t: number, otlpExport: boolean): void {
  const service = log.service;
  if (otlpExport) {
    log.record(
      t,
      common.otlp,
      "OTLP export enabled",
      fields({ endpoint: TEMPO_ENDPOINT, service }),
    );
  } else {
    const message = "OpenTelemetry OTLP export disabled, traces local only";
    log.record(t, common.otlp, message, fields({ service }));
  }
}

/** Start-up of all three processes; returns when the deployment can serve requests. */
export function emitStartup(
  deployment: Deployment,
  t0: number,
  rng: Rng,
  otlpExport: Readonly<Record<Service, boolean>>,
): number {
  const workerReady: Record<Worker, number> = {
    decode: startWorker(deployment.decode, t0, rng, otlpExport.decode),
    prefill: startWorker(
      deployment.prefill,
      t0 + rng.int(300_000, 600_000),
      rng,
      otlpExport.prefill,
    ),
  };
  const { frontend } = deployment;
  let t = t0 + rng.int(1_000_000, 1_500_000);
  announceService(frontend, t, otlpExport.frontend);
  t += rng.int(20_000, 60_000);
  const address = fields({ address: "0.0.0.0:8000", protocol: "http" });
  frontend.record(t, frontendSites.httpStart, "Starting HTTP service on: 0.0.0.0:8000", address);
  t += rng.int(200, 900);
  const router = fields({ block_size: 16, overlap_score_weight: float(1) });
  frontend.record(t, frontendSites.routerReady, "KV routing initialized", router);
  for (const worker of ["decode", "prefill"] as const) {
    const added = workerReady[worker] + rng.int(30_000, 90_000);
    const instance = fields({
      component: COMPONENT[worker],
      instance_id: u64(INSTANCE_IDS[worker]),
      model_name: MODEL,
      namespace: NAMESPACE,
    });
    frontend.record(added, frontendSites.modelAdded, "added model instance", instance);
  }
  return Math.max(workerReady.decode, workerReady.prefill) + rng.int(2_000_000, 4_000_000);
}

function startWorker(log: ComponentLog, t0: number, rng: Rng, otlpExport: boolean): number {
  const worker = log.service === "prefill" ? "prefill" : "decode";
  announceService(log, t0, otlpExport);
  const setup = `Initializing vLLM engine: model=${MODEL}, disaggregation_mode=${worker}`;
  log.record(t0 + rng.int(60_000, 120_000), workerSites.engineSetup, setup);
  // The prefill worker runs with tqdm disabled; only decode prints shard loading progress.
  const loaded = t0 + rng.int(8_000_000, 9_500_000);
  if (worker === "decode") log.raw(loaded, [rawLines.checkpointLoaded(rate(rng))], "checkpoint");
  const registered = loaded + rng.int(3_000_000, 4_000_000);
  const endpoint = fields({
    component: COMPONENT[worker],
    endpoint: "generate",
    instance_id: u64(INSTANCE_IDS[worker]),
    namespace: NAMESPACE,
  });
  log.record(registered, workerSites.endpointStart, "Registering endpoint", endpoint);
  const name = worker === "prefill" ? "VllmPrefillWorker" : "VllmWorker";
  const ready = registered + rng.int(100_000, 300_000);
  log.record(ready, workerSites.initialized, `${name} for ${MODEL} has been initialized`);
  return ready;
}

/** A tqdm rate such as " 2.31" (tqdm pads to width 5). */
export function rate(rng: Rng): string {
  return (rng.int(80, 950) / 100).toFixed(2).padStart(5, " ");
}

const STATS_INTERVAL = 10_000_000;

/** vLLM's engine statistics, logged by each worker every ten seconds. */
export class EngineStats {
  private readonly next: Record<Worker, number>;

  constructor(
    private readonly deployment: Deployment,
    private readonly rng: Rng,
    from: number,
  ) {
    this.next = {
      prefill: from + rng.int(0, STATS_INTERVAL),
      decode: from + rng.int(0, 9_000_000),
    };
  }

  /** Emits every statistics line due before `t`. */
  advanceTo(t: number): void {
    for (const worker of ["prefill", "decode"] as const) {
      while (this.next[worker] < t) {
        this.emit(worker, this.next[worker]);
        this.next[worker] += STATS_INTERVAL + this.rng.int(-2000, 2000);
      }
    }
  }

  private emit(worker: Worker, t: number): void {
    const rng = this.rng;
    const prompt = (rng.int(500, 40_000) / 10).toFixed(1);
    const generation = worker === "prefill" ? "0.0" : (rng.int(200, 3_000) / 10).toFixed(1);
    const message =
      `Engine 000: Avg prompt throughput: ${prompt} tokens/s, ` +
      `Avg generation throughput: ${generation} tokens/s, ` +
      `Running: ${rng.int(0, 4)} reqs, Waiting: 0 reqs, ` +
      `GPU KV cache usage: ${(rng.int(5, 800) / 10).toFixed(1)}%, ` +
      `Prefix cache hit rate: ${(rng.int(0, 700) / 10).toFixed(1)}%`;
    this.deployment[worker].record(t, workerSites.engineStats, message);
  }
}
