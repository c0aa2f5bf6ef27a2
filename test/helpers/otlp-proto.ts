/**
 * The official OTLP protobuf definitions (generated code shipped by
 * @opentelemetry/otlp-transformer 0.216.0), to decode what dynlog encodes.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

// biome-ignore lint/suspicious/noExplicitAny: generated protobufjs namespace
type Message = any;
const root = require("@opentelemetry/otlp-transformer/build/src/generated/root.js") as Message;
const v1 = root.opentelemetry.proto;

/** Decodes an `ExportTraceServiceRequest` into a plain object: ids hex, 64-bit numbers as strings. */
export function decodeTraceRequest(body: Uint8Array): Message {
  const type = v1.collector.trace.v1.ExportTraceServiceRequest;
  const message = type.decode(body);
  return hexIds(type.toObject(message, { longs: String, bytes: String, enums: Number }));
}

/** Encodes an `ExportTraceServiceResponse` with a partial success. */
export function encodeTraceResponse(rejectedSpans: number, errorMessage: string): Uint8Array {
  const type = v1.collector.trace.v1.ExportTraceServiceResponse;
  return type.encode(type.fromObject({ partialSuccess: { rejectedSpans, errorMessage } })).finish();
}

const ID_KEYS = new Set(["traceId", "spanId", "parentSpanId"]);

/** A copy of a message with its ids converted (protobufjs writes bytes as base64, OTLP/JSON hex). */
function mapIds(value: Message, convert: (id: string) => string): Message {
  if (Array.isArray(value)) return value.map((v) => mapIds(v, convert));
  if (value === null || typeof value !== "object") return value;
  const out: Message = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = ID_KEYS.has(k) && typeof v === "string" ? convert(v) : mapIds(v, convert);
  }
  return out;
}

const hexIds = (m: Message) => mapIds(m, (id) => Buffer.from(id, "base64").toString("hex"));
const base64Ids = (m: Message) => mapIds(m, (id) => Buffer.from(id, "hex").toString("base64"));

/** An OTLP/JSON request read through the official definitions (ids hex→bytes), decoded back. */
export function traceRequestFromJson(json: Message): Message {
  const type = v1.collector.trace.v1.ExportTraceServiceRequest;
  const withBytes = base64Ids(json);
  // (`verify` would refuse int64 as strings, which OTLP/JSON allows; `fromObject` reads them.)
  return decodeTraceRequest(type.encode(type.fromObject(withBytes)).finish());
}
