// One chat-completion request through the disaggregated deployment: the frontend routes it to
// the prefill worker, then hands the prefilled KV cache to the decode worker, which streams
// the completion back. Timings are planned first so that sample mode can reshape a request
// (cancel it, kill its decode worker) before anything is written.

import type { ComponentLog, Deployment, Timing } from "./deployment.js";
import { endOf, frontendSpan, INSTANCE_IDS, rate, timing, workerSpan } from "./deployment.js";
import type { Rng } from "./random.js";
import type { Field, Span } from "./render.js";
import { fields, float, renderRecord, u64 } from "./render.js";
import { FRONTEND_IP, frontendSites, rawLines, workerSites } from "./sites.js";

export type Fate = "ok" | "cancelled" | "killed";

/** Oddities a request can carry; sample mode plants them, big mode uses only the benign ones. */
export interface Quirks {
  /** The frontend's SPAN_CREATED is lost: only SPAN_CLOSED survives. */
  orphanClose?: boolean;
  /** One prefill record is split across two physical lines. */
  tornPrefill?: boolean;
  /** The decode worker prints a vLLM progress bar (and maybe an empty line) to stderr. */
  progressLine?: boolean;
  emptyLine?: boolean;
  kvPressure?: boolean;
}

export interface RequestPlan {
  readonly index: number;
  readonly traceId: string;
  readonly xRequestId: string | undefined;
  /** What the Python handlers log: the x-request-id, or an id Dynamo made up. */
  readonly requestId: string;
  readonly spanIds: {
    readonly frontend: string;
    readonly prefill: string;
    readonly decode: string;
  };
  /** The frontend's TCP stream ports the prefill and decode workers answer on. */
  readonly ports: { readonly prefill: number; readonly decode: number };
  readonly promptTokens: number;
  readonly maxTokens: number;
  readonly perTokenUs: number;
  completionTokens: number;
  frontend: Timing;
  prefill: Timing;
  decode: Timing;
  fate: Fate;
  /** When the client went away (cancelled) or the decode worker died (killed). */
  cutAt: number | undefined;
  quirks: Quirks;
}

export interface PlanOptions {
  /** Whether the client sent an x-request-id header. */
  readonly withId?: boolean;
  /** A lower bound on the completion length, to get a long decode. */
  readonly minTokens?: number;
}

export function planRequest(
  rng: Rng,
  index: number,
  start: number,
  options: PlanOptions = {},
): RequestPlan {
  const xRequestId = (options.withId ?? true) ? rng.uuid() : undefined;
  const requestId = xRequestId ?? rng.uuid();
  const traceId = rng.hex(32);
  const spanIds = { frontend: rng.hex(16), prefill: rng.hex(16), decode: rng.hex(16) };
  const ports = { prefill: rng.int(32768, 60999), decode: rng.int(32768, 60999) };
  const promptTokens = rng.int(24, 1800);
  const completionTokens = rng.int(options.minTokens ?? 56, 420);
  const maxTokens = rng.chance(0.8) ? 512 : completionTokens;
  const perTokenUs = rng.int(9000, 11_800);
  // Prefill is nearly all waiting on the engine: under a millisecond busy in the span itself.
  const prefill = timing(start + rng.int(800, 1600), rng.int(18_000, 75_000), rng.int(350, 950));
  const decodeStart = endOf(prefill) + rng.int(600, 1500);
  const decode = timing(decodeStart, 2000 + completionTokens * perTokenUs, rng.int(2000, 6000));
  const frontendEnd = endOf(decode) + rng.int(1200, 4000);
  const frontend = timing(start, frontendEnd - start, rng.int(10_000, 20_000));
  return {
    index,
    traceId,
    xRequestId,
    requestId,
    spanIds,
    ports,
    promptTokens,
    maxTokens,
    perTokenUs,
    completionTokens,
    frontend,
    prefill,
    decode,
    fate: "ok",
    cutAt: undefined,
    quirks: {},
  };
}

/** The client disconnects at `at`, during decode: the worker logs an ERROR and a traceback. */
export function cancel(plan: RequestPlan, at: number, rng: Rng): void {
  plan.fate = "cancelled";
  plan.cutAt = at;
  plan.completionTokens = Math.floor((at - plan.decode.start) / plan.perTokenUs);
  const duration = at + rng.int(1500, 2500) - plan.decode.start;
  plan.decode = timing(plan.decode.start, duration, Math.min(plan.decode.busy, duration - 1));
  endFrontendAt(plan, endOf(plan.decode) + rng.int(1200, 2500));
}

/** The decode worker is killed at `at`: its log ends there, with this request's span open. */
export function kill(plan: RequestPlan, at: number, rng: Rng): void {
  plan.fate = "killed";
  plan.cutAt = at;
  plan.completionTokens = Math.floor((at - plan.decode.start) / plan.perTokenUs);
  endFrontendAt(plan, at + rng.int(2500, 4000));
}

/** Moves the end of the frontend's span, keeping its busy time. */
function endFrontendAt(plan: RequestPlan, end: number): void {
  const { start, busy } = plan.frontend;
  plan.frontend = timing(start, end - start, busy);
}

export function emitRequest(deployment: Deployment, plan: RequestPlan, rng: Rng): void {
  const ids = { traceId: plan.traceId, xRequestId: plan.xRequestId };
  const parentId = plan.spanIds.frontend;
  if (plan.fate === "killed" && plan.cutAt !== undefined) deployment.decode.diesAt = plan.cutAt;
  emitFrontend(deployment.frontend, plan, frontendSpan({ ...ids, spanId: parentId }), rng);
  const prefill = workerSpan("prefill", { ...ids, spanId: plan.spanIds.prefill, parentId });
  emitPrefill(deployment.prefill, plan, prefill, rng);
  const decode = workerSpan("decode", { ...ids, spanId: plan.spanIds.decode, parentId });
  emitDecode(deployment.decode, plan, decode, rng);
}

function selection(rng: Rng, workerId: string): Field[] {
  const cost = rng.int(0, 40) * 0.125;
  return fields({ worker_id: u64(workerId), overlap_blocks: rng.int(0, 24), cost: float(cost) });
}

function emitFrontend(log: ComponentLog, plan: RequestPlan, span: Span, rng: Rng): void {
  const start = plan.frontend.start;
  const sites = frontendSites;
  if (!plan.quirks.orphanClose) log.open(span, start);
  const register = (port: number) => `Registering new TcpStream on ${FRONTEND_IP}:${port}`;
  log.inSpan(span, start + rng.int(110, 320), sites.tcpRegister, register(plan.ports.prefill));
  const prefillRoute = selection(rng, INSTANCE_IDS.prefill);
  log.inSpan(
    span,
    start + rng.int(380, 700),
    sites.workerSelected,
    "selected worker",
    prefillRoute,
  );
  const prefilled = endOf(plan.prefill);
  const succeeded = "Prefill succeeded, using disaggregated params for decode";
  log.inSpan(span, prefilled + rng.int(150, 420), sites.prefillSucceeded, succeeded);
  const decodeRoute = selection(rng, INSTANCE_IDS.decode);
  log.inSpan(
    span,
    prefilled + rng.int(440, 500),
    sites.workerSelected,
    "selected worker",
    decodeRoute,
  );
  log.inSpan(span, prefilled + rng.int(510, 590), sites.tcpRegister, register(plan.ports.decode));
  emitOutcome(log, plan, span, rng);
  log.close(span, plan.frontend, plan.quirks.orphanClose ? "orphan-close" : undefined);
}

function emitOutcome(log: ComponentLog, plan: RequestPlan, span: Span, rng: Rng): void {
  const completed = (status: number) =>
    fields({
      status,
      prompt_tokens: plan.promptTokens,
      completion_tokens: plan.completionTokens,
    });
  const cutAt = plan.cutAt ?? 0;
  if (plan.fate === "cancelled") {
    const message = "client disconnected, cancelling request";
    log.inSpan(span, cutAt, frontendSites.clientDisconnected, message);
  } else if (plan.fate === "killed") {
    const lost = cutAt + rng.int(900, 1600);
    const cause = fields({
      error: "connection reset by peer",
      worker_id: u64(INSTANCE_IDS.decode),
    });
    const message = "stream ended before completion";
    log.inSpan(span, lost, frontendSites.streamLost, message, cause, "stream-lost");
    const failed = lost + rng.int(200, 500);
    log.inSpan(span, failed, frontendSites.requestCompleted, "request completed", completed(500));
  } else {
    const done = endOf(plan.decode) + rng.int(300, 900);
    log.inSpan(span, done, frontendSites.requestCompleted, "request completed", completed(200));
  }
}

/** A worker connecting back to the frontend's response stream, shortly after its span opens. */
function connectBack(log: ComponentLog, span: Span, start: number, port: number, rng: Rng): void {
  const address = fields({ address: `${FRONTEND_IP}:${port}` });
  const at = start + rng.int(60, 180);
  log.inSpan(span, at, workerSites.tcpConnect, "Connecting to response stream", address);
}

function emitPrefill(log: ComponentLog, plan: RequestPlan, span: Span, rng: Rng): void {
  const { start } = plan.prefill;
  log.open(span, start);
  connectBack(log, span, start, plan.ports.prefill, rng);
  const received = start + rng.int(220, 520);
  const message = `Prefill request ${plan.requestId}: ${plan.promptTokens} prompt tokens`;
  const record = renderRecord(received, workerSites.prefillStart, message, span.fields);
  if (plan.quirks.tornPrefill) {
    log.write(received, tear(record, rng), { lines: 2, tag: "torn", mixedText: record });
  } else {
    log.write(received, record);
  }
  const blocks = Math.ceil(plan.promptTokens / 16);
  const done = `Prefill done for ${plan.requestId}: ${blocks} KV blocks ready for transfer`;
  log.inSpan(span, endOf(plan.prefill) - rng.int(150, 500), workerSites.prefillDone, done);
  log.close(span, plan.prefill);
}

/** Splits a record at an arbitrary byte well inside it, as an interleaved write would. */
function tear(record: string, rng: Rng): string {
  const cut = rng.int(Math.floor(record.length * 0.3), Math.floor(record.length * 0.7));
  return `${record.slice(0, cut)}\n${record.slice(cut)}`;
}

function emitDecode(log: ComponentLog, plan: RequestPlan, span: Span, rng: Rng): void {
  const { start } = plan.decode;
  const end = endOf(plan.decode);
  log.open(span, start, plan.fate === "killed" ? "unclosed" : undefined);
  connectBack(log, span, start, plan.ports.decode, rng);
  const id = plan.requestId;
  const tokens = `prompt_tokens=${plan.promptTokens}, max_tokens=${plan.maxTokens}`;
  const received = `Decode request ${id} received: ${tokens}`;
  log.inSpan(span, start + rng.int(220, 520), workerSites.decodeStart, received);
  const lastStep = plan.fate === "ok" ? end - 1000 : (plan.cutAt ?? end);
  for (let done = 64; done < plan.completionTokens; done += 64) {
    const t = start + 600 + done * plan.perTokenUs;
    if (t >= lastStep) break;
    const step = `Decode step ${done}/${plan.maxTokens} for request ${id}`;
    log.inSpan(span, t, workerSites.decodeStep, step);
  }
  emitDecodeNoise(log, plan, span, rng);
  if (plan.fate === "cancelled") {
    const t = (plan.cutAt ?? start) + rng.int(300, 900);
    log.inSpan(span, t, workerSites.cancelled, "request cancelled by client", [], "error");
    log.raw(t, rawLines.traceback(), "traceback");
  } else {
    const reason = plan.completionTokens === plan.maxTokens ? "length" : "stop";
    const summary = `${plan.completionTokens} tokens, finish_reason=${reason}`;
    const finished = `Decode finished for ${id}: ${summary}`;
    log.inSpan(span, end - rng.int(200, 600), workerSites.decodeDone, finished);
  }
  log.close(span, plan.decode);
}

/** What else surfaces while the request decodes: KV pressure warnings, stderr progress bars. */
function emitDecodeNoise(log: ComponentLog, plan: RequestPlan, span: Span, rng: Rng): void {
  const during = () => plan.decode.start + rng.int(1000, Math.max(1000, plan.decode.idle / 2));
  if (plan.quirks.kvPressure) {
    const usage = (rng.int(901, 985) / 10).toFixed(1);
    const message = `KV cache usage above 90% (${usage}%), requests may be preempted`;
    log.inSpan(span, during(), workerSites.kvPressure, message, [], "kv-pressure");
  }
  if (plan.quirks.progressLine) {
    const t = during();
    log.raw(t, [rawLines.progress(rate(rng))], "progress");
    if (plan.quirks.emptyLine) log.raw(t, [""], "empty");
  }
}
