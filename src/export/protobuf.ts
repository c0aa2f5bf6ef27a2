/**
 * OTLP's protobuf encoding of the OTLP/JSON model (`ExportTraceServiceRequest`,
 * `ExportLogsServiceRequest`), and the decoding of the collector's answer (`partial_success`).
 * Field numbers are those of opentelemetry-proto v1 (trace.proto, logs.proto, common.proto,
 * resource.proto); the tests decode the bodies with the official generated definitions.
 *
 * Receives: `TracesData`/`LogsData` objects. Emits: request bodies as Buffers.
 */

import type { LogsData, OtlpLogRecord } from "./otlp-logs.js";
import type {
  AnyValue,
  KeyValue,
  OtlpEvent,
  OtlpSpan,
  Resource,
  Scope,
  TracesData,
} from "./otlp-model.js";

/** A growable buffer with protobuf's wire primitives; nested messages are length-prefixed in place. */
class ProtoWriter {
  buf = Buffer.allocUnsafe(64 * 1024);
  pos = 0;

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  varint(value: number): void {
    this.room(10);
    let v = value;
    while (v > 127) {
      this.buf[this.pos++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** A string field; an empty one is left out unless `always` (a oneof member must be present). */
  string(field: number, value: string, always = false): void {
    if (value === "" && !always) return;
    const n = Buffer.byteLength(value);
    this.tag(field, 2);
    this.varint(n);
    this.room(n);
    this.pos += this.buf.write(value, this.pos, "utf8");
  }

  hex(field: number, value: string | undefined): void {
    if (value === undefined || value === "") return;
    const n = value.length >> 1;
    this.tag(field, 2);
    this.varint(n);
    this.room(n);
    this.pos += this.buf.write(value, this.pos, "hex");
  }

  fixed64(field: number, decimal: string): void {
    if (decimal === "0") return;
    this.tag(field, 1);
    this.room(8);
    this.buf.writeBigUInt64LE(BigInt(decimal), this.pos);
    this.pos += 8;
  }

  double(field: number, value: number): void {
    this.tag(field, 1);
    this.room(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  int64(field: number, decimal: string): void {
    this.tag(field, 0);
    const v = BigInt.asUintN(64, BigInt(decimal));
    if (v <= BigInt(Number.MAX_SAFE_INTEGER)) {
      this.varint(Number(v));
      return;
    }
    this.room(10);
    let rest = v;
    while (rest > 127n) {
      this.buf[this.pos++] = Number(rest & 127n) | 128;
      rest >>= 7n;
    }
    this.buf[this.pos++] = Number(rest);
  }

  uint(field: number, value: number | undefined): void {
    if (value === undefined || value === 0) return;
    this.tag(field, 0);
    this.varint(value);
  }

  /** Writes a nested message: `body` writes its fields, then they are prefixed with their length. */
  message(field: number, body: () => void): void {
    this.tag(field, 2);
    const start = this.pos;
    body();
    const length = this.pos - start;
    let size = 1;
    for (let v = length; v > 127; v = Math.floor(v / 128)) size++;
    this.room(size);
    this.buf.copyWithin(start + size, start, this.pos);
    const end = this.pos + size;
    this.pos = start;
    this.varint(length);
    this.pos = end;
  }

  result(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

function anyValue(w: ProtoWriter, v: AnyValue): void {
  if (v.stringValue !== undefined) w.string(1, v.stringValue, true);
  else if (v.boolValue !== undefined) {
    w.tag(2, 0);
    w.varint(v.boolValue ? 1 : 0);
  } else if (v.intValue !== undefined) w.int64(3, v.intValue);
  else if (v.doubleValue !== undefined) w.double(4, v.doubleValue);
}

function attributes(w: ProtoWriter, field: number, list: readonly KeyValue[]): void {
  for (const kv of list) {
    w.message(field, () => {
      w.string(1, kv.key);
      w.message(2, () => anyValue(w, kv.value));
    });
  }
}

function resource(w: ProtoWriter, r: Resource): void {
  w.message(1, () => attributes(w, 1, r.attributes));
}

function scope(w: ProtoWriter, s: Scope): void {
  w.message(1, () => {
    w.string(1, s.name);
    w.string(2, s.version);
  });
}

function event(w: ProtoWriter, e: OtlpEvent): void {
  w.message(11, () => {
    w.fixed64(1, e.timeUnixNano);
    w.string(2, e.name);
    attributes(w, 3, e.attributes);
  });
}

function span(w: ProtoWriter, s: OtlpSpan): void {
  w.message(2, () => {
    w.hex(1, s.traceId);
    w.hex(2, s.spanId);
    w.hex(4, s.parentSpanId);
    w.string(5, s.name);
    w.uint(6, s.kind);
    w.fixed64(7, s.startTimeUnixNano);
    w.fixed64(8, s.endTimeUnixNano);
    attributes(w, 9, s.attributes);
    for (const e of s.events) event(w, e);
    w.uint(12, s.droppedEventsCount);
    if (s.status.code !== undefined) {
      w.message(15, () => {
        w.string(2, s.status.message ?? "");
        w.uint(3, s.status.code);
      });
    }
  });
}

/** `ExportTraceServiceRequest` (the same bytes as `TracesData`). */
export function encodeTraces(data: TracesData): Buffer {
  const w = new ProtoWriter();
  for (const rs of data.resourceSpans) {
    w.message(1, () => {
      resource(w, rs.resource);
      for (const ss of rs.scopeSpans) {
        w.message(2, () => {
          scope(w, ss.scope);
          for (const s of ss.spans) span(w, s);
        });
      }
    });
  }
  return w.result();
}

function logRecord(w: ProtoWriter, r: OtlpLogRecord): void {
  w.message(2, () => {
    w.fixed64(1, r.timeUnixNano);
    w.uint(2, r.severityNumber);
    w.string(3, r.severityText);
    w.message(5, () => anyValue(w, r.body));
    attributes(w, 6, r.attributes);
    w.hex(9, r.traceId);
    w.hex(10, r.spanId);
    w.fixed64(11, r.observedTimeUnixNano);
  });
}

/** `ExportLogsServiceRequest` (the same bytes as `LogsData`). */
export function encodeLogs(data: LogsData): Buffer {
  const w = new ProtoWriter();
  for (const rl of data.resourceLogs) {
    w.message(1, () => {
      resource(w, rl.resource);
      for (const sl of rl.scopeLogs) {
        w.message(2, () => {
          scope(w, sl.scope);
          for (const r of sl.logRecords) logRecord(w, r);
        });
      }
    });
  }
  return w.result();
}

export interface PartialSuccess {
  rejected: number;
  message: string;
}

/** Reads a varint at `at`; returns [value, next offset]. */
function readVarint(buf: Buffer, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  let i = at;
  while (i < buf.length) {
    const b = buf[i++] as number;
    value += (b & 127) * scale;
    if (b < 128) return [value, i];
    scale *= 128;
  }
  throw new Error("truncated varint");
}

/** Skips a field of wire type `wire` at `at`. */
function skip(buf: Buffer, at: number, wire: number): number {
  if (wire === 0) return readVarint(buf, at)[1];
  if (wire === 1) return at + 8;
  if (wire === 5) return at + 4;
  if (wire === 2) {
    const [n, next] = readVarint(buf, at);
    return next + n;
  }
  throw new Error(`unsupported wire type ${wire}`);
}

/**
 * The `partial_success` of an `Export{Trace,Logs}ServiceResponse` (field 1: rejected count as
 * field 1, error message as field 2), or null when there is none. Throws on a malformed body.
 */
export function decodePartialSuccess(body: Buffer): PartialSuccess | null {
  let at = 0;
  let found: PartialSuccess | null = null;
  while (at < body.length) {
    const [key, next] = readVarint(body, at);
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 1 && wire === 2) {
      const [length, start] = readVarint(body, next);
      const end = start + length;
      found = { rejected: 0, message: "" };
      let i = start;
      while (i < end) {
        const [k, n] = readVarint(body, i);
        if (k === 8) [found.rejected, i] = readVarint(body, n);
        else if (k === 18) {
          const [len, s] = readVarint(body, n);
          found.message = body.toString("utf8", s, s + len);
          i = s + len;
        } else i = skip(body, n, k % 8);
      }
      at = end;
    } else at = skip(body, next, wire);
  }
  if (at > body.length) throw new Error("truncated message");
  return found;
}

/** The first top-level string field `field` of a message (e.g. google.rpc.Status's message), or null. */
export function stringField(body: Buffer, field: number): string | null {
  try {
    let at = 0;
    while (at < body.length) {
      const [key, next] = readVarint(body, at);
      if (key === field * 8 + 2) {
        const [length, start] = readVarint(body, next);
        if (start + length > body.length) return null;
        return body.toString("utf8", start, start + length);
      }
      at = skip(body, next, key % 8);
    }
  } catch {
    // Not protobuf.
  }
  return null;
}
