/**
 * Command-line inputs to byte streams: `label=path`, `-` for stdin, plain files, FIFOs, and gzip
 * (recognised by its magic bytes, not its name, so `app.log` holding gzip and `x.gz` holding text
 * both work).
 *
 * Receives: input words. Emits: `Source` descriptions and async iterables of decompressed bytes.
 */
import {
  closeSync,
  createReadStream,
  fstatSync,
  openSync,
  readSync,
  type Stats,
  statSync,
} from "node:fs";
import { basename } from "node:path";
import type { Source } from "../model/record.js";
import { gunzipChunks } from "./gunzip.js";

/**
 * Bytes read at a time. A read whose every line becomes a record hands its records over as one
 * batch a chunk, and that batch is alive when V8 collects its young generation: 64 KiB chunks keep
 * it small (1 MiB chunks made `convert` spend 40% of its time collecting, and took 1.6 times as
 * long). A scan that keeps nothing (`reuse`) reads 256 KiB at a time into one buffer, which stays
 * in the processor's cache: a request-id lookup over 1 GB took 0.83 s against 1.16 s with 1 MiB
 * reads (half the system time).
 */
const PARSE_CHUNK = 1 << 16;
const SCAN_CHUNK = 1 << 18;
const chunkBytes = (reuse: boolean) => (reuse ? SCAN_CHUNK : PARSE_CHUNK);
const KNOWN_EXTENSIONS = /\.(gz|gzip|jsonl|ndjson|json|log|txt|out|err)$/i;

/** Source name from a file name: `frontend.jsonl` -> `frontend`, `decode.log.gz` -> `decode`. */
export function labelFromPath(path: string): string {
  let name = basename(path);
  while (KNOWN_EXTENSIONS.test(name) && name.replace(KNOWN_EXTENSIONS, "") !== "") {
    name = name.replace(KNOWN_EXTENSIONS, "");
  }
  return name;
}

/**
 * Reads `label=path`. A word is a label only when the part before `=` is a plain name and the word
 * is not itself an existing file (a file may well be called `a=b.log`).
 */
export function describeInput(word: string, index: number): Source {
  if (word === "-") return { index, label: "stdin", path: "-", labelled: false };
  const eq = word.indexOf("=");
  if (eq > 0 && /^[\w.@:-]+$/.test(word.slice(0, eq)) && !exists(word)) {
    const path = word.slice(eq + 1);
    const label = word.slice(0, eq);
    return { index, label, path, labelled: true };
  }
  return { index, label: labelFromPath(word), path: word, labelled: false };
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** A readable description of why an input cannot be read, or null when it can be opened. */
export function checkInput(source: Source): string | null {
  if (source.path === "-") return null;
  let stats: Stats;
  try {
    stats = statSync(source.path);
  } catch (err) {
    return describeFsError(err);
  }
  if (stats.isDirectory()) return "is a directory";
  return null;
}

/**
 * Whether an input can be read only once: stdin, a FIFO (`mkfifo`, `<(cmd)`), a character device
 * or a socket. Commands that read their inputs twice spool these to a temporary file first.
 */
export function readsOnce(source: Source): boolean {
  if (source.path === "-") return true;
  try {
    return !statSync(source.path).isFile();
  } catch {
    return false;
  }
}

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  if (code === "Z_BUF_ERROR" || code === "Z_DATA_ERROR") return `gzip: ${gzipReason(err)}`;
  const message = (err as Error | undefined)?.message;
  return message ? message.replace(/^\w+: /, "") : String(err);
}

function gzipReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "Z_BUF_ERROR") return "unexpected end of file (truncated?)";
  return ((err as Error).message || "corrupt data").toLowerCase();
}

/**
 * A regular file is read with synchronous reads: the batch commands have nothing else to do
 * meanwhile, and a stream's round trip through the thread pool per chunk left a 1 GB scan idle
 * 60% of the time. Pipes, FIFOs and stdin stay streams. Each chunk is a fresh buffer (readers may
 * keep slices of it), unless `reuse`: then one buffer serves every chunk, which spares a scan
 * that keeps nothing a page fault per 4 KiB read.
 */
async function* readRegularFile(fd: number, reuse: boolean, from: number): AsyncGenerator<Buffer> {
  try {
    yield* fileChunks(fd, from, reuse);
  } finally {
    closeSync(fd);
  }
}

/**
 * An open regular file's chunks from `from` to its end as it is now, read synchronously; the
 * descriptor stays open (`tail` hands it on to its follower). See `readRegularFile`.
 */
export function* fileChunks(fd: number, from: number, reuse = false): Generator<Buffer> {
  const size = chunkBytes(reuse);
  const shared = reuse ? Buffer.allocUnsafe(size) : null;
  for (let at = from; ; ) {
    const chunk = shared ?? Buffer.allocUnsafe(size);
    const n = readSync(fd, chunk, 0, size, at);
    if (n === 0) return;
    at += n;
    yield n === size ? chunk : chunk.subarray(0, n);
  }
}

/** Whether the file starts with gzip's magic number (read in place: the position stays). */
function fileIsGzip(fd: number): boolean {
  const magic = Buffer.alloc(2);
  return readSync(fd, magic, 0, 2, 0) === 2 && isGzip(magic);
}

/** The size of a plain (regular, uncompressed) file, or null for anything else or an error. */
export function plainFileSize(source: Source): number | null {
  if (source.path === "-") return null;
  let fd: number | null = null;
  try {
    // Looked at before it is opened: opening a FIFO would wait for its writer.
    const info = statSync(source.path);
    if (!info.isFile()) return null;
    fd = openSync(source.path, "r");
    return fileIsGzip(fd) ? null : info.size;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function rawStream(source: Source, reuse: boolean, from: number): AsyncIterable<Buffer> {
  if (source.path === "-") return process.stdin;
  const fd = openSync(source.path, "r");
  // gunzip may still hold a chunk when the next is read: compressed input is never read in place.
  if (fstatSync(fd).isFile()) return readRegularFile(fd, reuse && !fileIsGzip(fd), from);
  return createReadStream(source.path, { fd, highWaterMark: chunkBytes(reuse) });
}

function isGzip(chunk: Buffer): boolean {
  return chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;
}

/**
 * The input's bytes, gunzipped when they start with gzip's magic number. With `reuse`, a chunk
 * of a regular file may be overwritten by the next one: for readers that copy what they keep.
 * `from` skips the first bytes of a plain file (a parallel `convert` handing over to this thread).
 */
export async function* readBytes(source: Source, reuse = false, from = 0): AsyncGenerator<Buffer> {
  const iterator = rawStream(source, reuse, from)[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  let head = first.value as Buffer;
  // A pipe may deliver a single byte first: gzip's magic number takes two.
  while (head.length < 2) {
    const next = await iterator.next();
    if (next.done) break;
    head = Buffer.concat([head, next.value as Buffer]);
  }
  if (!isGzip(head)) {
    yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield next.value as Buffer;
    }
    return;
  }
  yield* gunzipChunks(head, iterator, chunkBytes(reuse));
}

/**
 * A range read for a scan (`reuse`) goes through one 1 MiB buffer the thread keeps for all its
 * ranges. Two scan workers searching 1 GB for a trace id spent 270 ms in `read` with a fresh
 * 256 KiB buffer a range and 170 ms with this one (`trace <id>` over the bench data: 0.67 s
 * against 0.60 s, median of five alternating pairs).
 */
const RANGE_SCAN_CHUNK = 1 << 20;
let rangeScanBuffer: Buffer | null = null;

/**
 * Reads bytes [start, end) of a plain file synchronously, chunk by chunk (a worker thread's
 * range). With `reuse`, one buffer serves every chunk (for readers that copy what they keep);
 * `each` must not read another range.
 */
export function readRangeSync(
  path: string,
  start: number,
  end: number,
  reuse: boolean,
  each: (chunk: Buffer) => void,
): void {
  const size = reuse ? RANGE_SCAN_CHUNK : PARSE_CHUNK;
  if (reuse) rangeScanBuffer ??= Buffer.allocUnsafe(size);
  const shared = reuse ? rangeScanBuffer : null;
  const fd = openSync(path, "r");
  try {
    for (let at = start; at < end; ) {
      const chunk = shared ?? Buffer.allocUnsafe(Math.min(size, end - at));
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, end - at), at);
      if (n === 0) break;
      at += n;
      each(n === chunk.length ? chunk : chunk.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}
