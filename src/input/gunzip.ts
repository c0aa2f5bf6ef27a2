/**
 * Gunzips an input without losing what was decompressed before an error. zlib drops the output
 * of a write that fails, so a whole-chunk write whose stream then fails its checksum, or is
 * followed by trailing garbage, would lose everything that chunk held (all of a small file).
 * So the last TAIL_BYTES of the input are held back and written one byte at a time at the end:
 * the failing write is then the one carrying the checksum or the garbage, alone, and everything
 * before it comes out first. Decompressed chunks are queued from `data` events (a stream that
 * errors discards what it buffered), with backpressure, and the error is thrown after them.
 *
 * Receives: the first chunk and an iterator over the rest. Emits: decompressed chunks, then
 * throws the zlib error, if any.
 */
import type { Transform } from "node:stream";
import type * as Zlib from "node:zlib";
import { onFirstUse } from "../model/dependencies.js";

/** zlib, loaded for the first gzipped input (about 3 ms of every thread's start otherwise). */
const zlib = onFirstUse("node:zlib", (exports: typeof Zlib) => exports);

/** Longer than a gzip trailer (8 bytes), and than most trailing garbage (zero padding is fine). */
const TAIL_BYTES = 64;
const QUEUE_HIGH = 8;

/** Resolves when `stream` can take more, or has failed or closed (never hangs on a dead one). */
function writable(stream: Transform): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      stream.off("error", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
    stream.on("error", done);
  });
}

async function feed(gunzip: Transform, head: Buffer, rest: AsyncIterator<Buffer>): Promise<void> {
  let held = head;
  for (let next = await rest.next(); !next.done && !gunzip.destroyed; next = await rest.next()) {
    const all = Buffer.concat([held, next.value]);
    held = all.subarray(Math.max(0, all.length - TAIL_BYTES));
    const body = all.subarray(0, all.length - held.length);
    if (body.length > 0 && !gunzip.write(body)) await writable(gunzip);
  }
  const cut = Math.max(0, held.length - TAIL_BYTES);
  if (cut > 0 && !gunzip.destroyed) gunzip.write(held.subarray(0, cut));
  for (let i = cut; i < held.length && !gunzip.destroyed; i++) {
    gunzip.write(held.subarray(i, i + 1));
  }
  if (!gunzip.destroyed) gunzip.end();
}

export async function* gunzipChunks(
  head: Buffer,
  rest: AsyncIterator<Buffer>,
  chunkSize: number,
): AsyncGenerator<Buffer> {
  const gunzip = zlib().createGunzip({ chunkSize });
  const queue: Buffer[] = [];
  let failure: Error | null = null;
  let finished = false;
  let wake: (() => void) | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };
  gunzip.on("data", (chunk: Buffer) => {
    queue.push(chunk);
    if (queue.length >= QUEUE_HIGH) gunzip.pause();
    signal();
  });
  gunzip.on("error", (err) => {
    failure = err;
    finished = true;
    signal();
  });
  gunzip.on("end", () => {
    finished = true;
    signal();
  });
  const feeding = feed(gunzip, head, rest).catch((err: Error) => gunzip.destroy(err));
  for (;;) {
    const chunk = queue.shift();
    if (chunk !== undefined) {
      if (queue.length < QUEUE_HIGH / 2) gunzip.resume();
      yield chunk;
      continue;
    }
    if (finished) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
  await feeding;
  if (failure !== null) throw failure;
}
