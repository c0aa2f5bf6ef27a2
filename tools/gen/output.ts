// Where generated lines go. Requests overlap, so their lines are produced out of time order;
// an OrderedStream holds them in a heap and releases them sorted once no earlier line can
// still arrive. Sinks then keep them in memory (small fixtures) or write them in big chunks.

import { closeSync, openSync, write, writeSync } from "node:fs";

export interface LogLine {
  /** Microseconds since the epoch; raw lines borrow the time of the record they follow. */
  readonly t: number;
  /** Creation order, to keep lines with the same timestamp in the order they were produced. */
  readonly seq: number;
  /** One or more physical lines, each ending with "\n". */
  readonly text: string;
  readonly lines: number;
  /** Names a planted oddity so its line numbers can be written into the README. */
  readonly tag?: string | undefined;
}

export interface LineSink {
  write(line: LogLine): void;
}

const earlier = (a: LogLine, b: LogLine): boolean => a.t < b.t || (a.t === b.t && a.seq < b.seq);

export class OrderedStream {
  private readonly heap: LogLine[] = [];
  /** Characters waiting in the heap: what the output will still grow by. */
  queuedChars = 0;

  constructor(private readonly sink: LineSink) {}

  push(line: LogLine): void {
    const heap = this.heap;
    heap.push(line);
    this.queuedChars += line.text.length;
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const up = heap[parent]!;
      if (!earlier(line, up)) break;
      heap[i] = up;
      i = parent;
    }
    heap[i] = line;
  }

  /** Writes out every line strictly earlier than `time`. */
  flushBefore(time: number): void {
    while (this.heap.length > 0 && this.heap[0]!.t < time) this.sink.write(this.pop());
  }

  drain(): void {
    while (this.heap.length > 0) this.sink.write(this.pop());
  }

  private pop(): LogLine {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    this.queuedChars -= top.text.length;
    if (heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && earlier(heap[right]!, heap[left]!) ? right : left;
      if (!earlier(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

export interface TagPosition {
  /** 1-based physical line numbers. */
  readonly first: number;
  readonly last: number;
}

export class MemorySink implements LineSink {
  private readonly parts: string[] = [];
  lineCount = 0;
  readonly tags = new Map<string, TagPosition[]>();

  write(line: LogLine): void {
    this.parts.push(line.text);
    if (line.tag !== undefined) {
      const position = { first: this.lineCount + 1, last: this.lineCount + line.lines };
      this.tags.set(line.tag, [...(this.tags.get(line.tag) ?? []), position]);
    }
    this.lineCount += line.lines;
  }

  text(): string {
    return this.parts.join("");
  }
}

const CHUNK_BYTES = 4 << 20;
// Room beyond a chunk for what arrives before the caller gets round to rotate().
const BUFFER_BYTES = 2 * CHUNK_BYTES;
const BATCH_CHARS = 64 << 10;

/**
 * Writes a file in chunks of a few MB through two buffers: one is written in the background
 * while the other fills, so disk time overlaps generation. Memory stays at two buffers; a caller
 * that outpaces the disk waits in rotate() (backpressure).
 */
export class FileSink implements LineSink {
  private readonly fd: number;
  private filling = Buffer.allocUnsafe(BUFFER_BYTES);
  private spare = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  // Lines are gathered into batches of some 64 KB before encoding; one big string per chunk
  // would cost an extra copy and most of the garbage collection.
  private batch = "";
  /** File offset of the next chunk: explicit offsets keep background writes in order. */
  private position = 0;
  private inFlight: Promise<void> = Promise.resolve();
  bytes = 0;
  lineCount = 0;

  constructor(path: string) {
    this.fd = openSync(path, "w");
  }

  write(line: LogLine): void {
    this.batch += line.text;
    this.lineCount += line.lines;
    if (this.batch.length >= BATCH_CHARS) this.encodeBatch();
  }

  /** Bytes written or buffered so far (the output is nearly all ASCII). */
  approxBytes(): number {
    return this.bytes + this.used + this.batch.length;
  }

  /** Whether a chunk is ready: the caller should await rotate(). */
  get full(): boolean {
    return this.used + this.batch.length >= CHUNK_BYTES;
  }

  /** Sends the filled buffer to disk in the background, once the previous one is done. */
  async rotate(): Promise<void> {
    this.encodeBatch();
    await this.inFlight;
    const buffer = this.filling;
    this.filling = this.spare;
    this.spare = buffer;
    this.inFlight = writeAt(this.fd, buffer.subarray(0, this.used), this.position);
    this.advance();
  }

  async close(): Promise<void> {
    this.encodeBatch();
    await this.inFlight;
    this.writeNow();
    closeSync(this.fd);
  }

  private encodeBatch(): void {
    // Three bytes per UTF-16 unit is the worst case of UTF-8.
    const worstCase = this.batch.length * 3;
    if (this.used + worstCase > BUFFER_BYTES) this.writeNow();
    if (worstCase > BUFFER_BYTES) {
      const encoded = Buffer.from(this.batch, "utf8");
      writeAllSync(this.fd, encoded, this.position);
      this.position += encoded.length;
      this.bytes += encoded.length;
    } else {
      this.used += this.filling.write(this.batch, this.used, "utf8");
    }
    this.batch = "";
  }

  /** The fallback when the filling buffer overflows before rotate(): a synchronous write. */
  private writeNow(): void {
    writeAllSync(this.fd, this.filling.subarray(0, this.used), this.position);
    this.advance();
  }

  private advance(): void {
    this.position += this.used;
    this.bytes += this.used;
    this.used = 0;
  }
}

function writeAllSync(fd: number, buffer: Buffer, position: number): void {
  let offset = 0;
  while (offset < buffer.length) {
    offset += writeSync(fd, buffer, offset, buffer.length - offset, position + offset);
  }
}

function writeAt(fd: number, buffer: Buffer, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (offset: number): void => {
      if (offset >= buffer.length) {
        resolve();
        return;
      }
      write(fd, buffer, offset, buffer.length - offset, position + offset, (error, written) => {
        if (error) reject(error);
        else step(offset + written);
      });
    };
    step(0);
  });
}
