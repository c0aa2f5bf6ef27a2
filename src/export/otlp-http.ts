/**
 * OTLP/HTTP: where and how to send (the standard `OTEL_EXPORTER_OTLP_*` variables), and one
 * batch sent with retries. Written on node's http rather than OpenTelemetry's exporters: those
 * report a partial success as success (they only log it), give no count of what was not
 * accepted, and need the SDK's span objects; dynlog must say how many spans were rejected and
 * exit 1 then.
 *
 * Retried: 429, 502, 503, 504 (waiting `Retry-After`, in seconds or as a date, else backing off
 * 0.5 s, 1 s, 2 s, ...), connection errors and timeouts. Never retried: any other status. Each
 * batch has `timeout` milliseconds in all, retries and waits included.
 *
 * Receives: a signal's settings and a request body. Emits: what the collector accepted.
 */
import * as http from "node:http";
import * as https from "node:https";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { decodePartialSuccess, stringField } from "./protobuf.js";

const gzipAsync = promisify(gzip);

export type Signal = "traces" | "logs";
export type Protocol = "http/protobuf" | "http/json";

export interface PushSettings {
  url: URL;
  protocol: Protocol;
  headers: Record<string, string>;
  gzip: boolean;
  timeoutMs: number;
}

export class PushConfigError extends Error {}

const DEFAULT_BASE = "http://localhost:4318";
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_ATTEMPTS = 5;
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;
const RETRYABLE = new Set([429, 502, 503, 504]);

/** The signal-specific variable, else the general one. */
function setting(env: NodeJS.ProcessEnv, signal: Signal, name: string): string | undefined {
  const specific = env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_${name}`];
  if (specific !== undefined && specific.trim() !== "") return specific.trim();
  const general = env[`OTEL_EXPORTER_OTLP_${name}`];
  return general !== undefined && general.trim() !== "" ? general.trim() : undefined;
}

/** `k=v,k2=v2` with percent-encoded values (the W3C baggage-like form OTel uses). */
export function parseKeyValues(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === undefined) return out;
  for (const pair of text.split(",")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    const value = pair.slice(eq + 1).trim();
    try {
      out[pair.slice(0, eq).trim()] = decodeURIComponent(value);
    } catch {
      out[pair.slice(0, eq).trim()] = value;
    }
  }
  return out;
}

function signalUrl(signal: Signal, env: NodeJS.ProcessEnv, endpoint: string | undefined): string {
  const path = `/v1/${signal}`;
  if (endpoint !== undefined) {
    // `--endpoint` is the traces URL as-is; the logs URL is its sibling. A bare base gets paths.
    if (/\/v1\/traces\/?$/.test(endpoint)) {
      return signal === "traces" ? endpoint : endpoint.replace(/\/v1\/traces(\/?)$/, "/v1/logs$1");
    }
    return `${endpoint.replace(/\/+$/, "")}${path}`;
  }
  const specific = env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`];
  if (specific !== undefined && specific.trim() !== "") return specific.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (base !== undefined && base.trim() !== "") return `${base.trim().replace(/\/+$/, "")}${path}`;
  return `${DEFAULT_BASE}${path}`;
}

/** Settings for one signal; throws `PushConfigError` for what cannot work (grpc, a bad URL). */
export function pushSettings(
  signal: Signal,
  env: NodeJS.ProcessEnv,
  flags: { endpoint?: string | undefined; protocol?: string | undefined },
): PushSettings {
  const protocol = flags.protocol ?? setting(env, signal, "PROTOCOL") ?? "http/protobuf";
  if (protocol === "grpc") {
    throw new PushConfigError(
      "OTLP/gRPC (port 4317) is not supported: send OTLP/HTTP to the collector's port 4318 " +
        "(--protocol http/protobuf, e.g. --endpoint http://collector:4318)",
    );
  }
  if (protocol !== "http/protobuf" && protocol !== "http/json") {
    throw new PushConfigError(`protocol '${protocol}': expected http/protobuf or http/json`);
  }
  const text = signalUrl(signal, env, flags.endpoint);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PushConfigError(`endpoint '${text}': not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new PushConfigError(`endpoint '${text}': expected an http:// or https:// URL`);
  }
  const compression = setting(env, signal, "COMPRESSION") ?? "none";
  if (compression !== "gzip" && compression !== "none") {
    throw new PushConfigError(`compression '${compression}': expected gzip or none`);
  }
  const timeoutText = setting(env, signal, "TIMEOUT");
  const timeoutMs = timeoutText === undefined ? DEFAULT_TIMEOUT_MS : Number(timeoutText);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new PushConfigError(`timeout '${timeoutText}': expected milliseconds`);
  }
  const headers = {
    ...parseKeyValues(env.OTEL_EXPORTER_OTLP_HEADERS),
    ...parseKeyValues(env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_HEADERS`]),
  };
  return { url, protocol, headers, gzip: compression === "gzip", timeoutMs };
}

/** What became of one batch. */
export interface BatchResult {
  /** Items the collector did not take (all of them when the batch failed). */
  rejected: number;
  /** Why, when something was not taken ("" otherwise). */
  message: string;
  /** The batch failed as a whole (not a partial success): later batches are not tried. */
  failed: boolean;
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function post(settings: PushSettings, body: Buffer, timeoutMs: number): Promise<Reply> {
  const client = settings.url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      settings.url,
      {
        method: "POST",
        headers: {
          ...settings.headers,
          "content-type":
            settings.protocol === "http/json" ? "application/json" : "application/x-protobuf",
          "content-length": body.length,
          ...(settings.gzip ? { "content-encoding": "gzip" } : {}),
        },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on("error", reject);
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new TimeoutError(timeoutMs));
    }, timeoutMs);
    request.on("close", () => clearTimeout(timer));
    request.on("timeout", () => request.destroy(new TimeoutError(timeoutMs)));
    request.on("error", reject);
    request.end(body);
  });
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/** `Retry-After` in milliseconds (seconds or an HTTP date), or null. */
export function retryAfterMs(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^[0-9]+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/** The message of an error answer: google.rpc.Status (JSON or protobuf field 2), else its text. */
function errorText(reply: Reply, protocol: Protocol): string {
  const body = reply.body;
  if (body.length === 0) return "";
  const type = String(reply.headers["content-type"] ?? "");
  if (type.includes("protobuf") || (protocol === "http/protobuf" && !/json|text/.test(type))) {
    const message = stringField(body, 2);
    if (message !== null && !/[\u0000-\u0008]/.test(message)) return message;
  }
  const text = body.toString("utf8", 0, Math.min(body.length, 500));
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === "string") return parsed.message;
  } catch {
    // Not JSON: the text itself.
  }
  return text.replace(/\s+/g, " ").trim();
}

/** What a 2xx answer says was not taken (partial success), for `count` items sent. */
function partialOf(reply: Reply, protocol: Protocol, signal: Signal): BatchResult {
  const ok: BatchResult = { rejected: 0, message: "", failed: false };
  if (reply.body.length === 0) return ok;
  try {
    if (protocol === "http/json" || String(reply.headers["content-type"]).includes("json")) {
      const parsed = JSON.parse(reply.body.toString("utf8")) as {
        partialSuccess?: Record<string, unknown>;
      };
      const partial = parsed.partialSuccess;
      if (partial === undefined || partial === null) return ok;
      const count = partial[signal === "traces" ? "rejectedSpans" : "rejectedLogRecords"];
      const message = partial.errorMessage;
      return {
        rejected: Number(count ?? 0) || 0,
        message: typeof message === "string" ? message : "",
        failed: false,
      };
    }
    const partial = decodePartialSuccess(reply.body);
    return partial === null
      ? ok
      : { rejected: partial.rejected, message: partial.message, failed: false };
  } catch {
    return ok;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends one batch of `count` items (encoded as `body`), retrying what may succeed later. */
export async function sendBatch(
  settings: PushSettings,
  signal: Signal,
  raw: Buffer,
  count: number,
): Promise<BatchResult> {
  const body = settings.gzip ? await gzipAsync(raw) : raw;
  const deadline = Date.now() + settings.timeoutMs;
  let why = "";
  for (let attempt = 1; ; attempt++) {
    let waitMs = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempt - 1));
    try {
      const reply = await post(settings, body, Math.max(1, deadline - Date.now()));
      if (reply.status >= 200 && reply.status < 300)
        return partialOf(reply, settings.protocol, signal);
      const text = errorText(reply, settings.protocol);
      why = `HTTP ${reply.status}${text === "" ? "" : `: ${text}`}`;
      if (!RETRYABLE.has(reply.status)) return { rejected: count, message: why, failed: true };
      const after = retryAfterMs(reply.headers["retry-after"] as string | undefined, Date.now());
      if (after !== null) waitMs = after;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      why =
        err instanceof TimeoutError
          ? err.message
          : e.code === "ECONNREFUSED"
            ? `connection refused by ${settings.url.host}`
            : `${e.code ?? "error"}: ${e.message}`;
    }
    if (attempt >= MAX_ATTEMPTS) {
      return {
        rejected: count,
        message: `${why} (gave up after ${attempt} attempts)`,
        failed: true,
      };
    }
    if (Date.now() + waitMs >= deadline) {
      return {
        rejected: count,
        message: `${why} (no time left to retry within ${settings.timeoutMs} ms)`,
        failed: true,
      };
    }
    await sleep(waitMs);
  }
}
