/**
 * Buffered output. Sinks append strings (and the rare Buffer holding invalid UTF-8); the writer
 * hands the stream large chunks, tells the pipeline when to wait for `drain`, and turns a closed
 * pipe (`dynlog convert big.jsonl | head`) into a quiet stop; any other write error stops the
 * run too and is reported by the process entry (`write error`, status 1).
 *
 * Receives: text and bytes. Emits: chunks to a Writable.
 */
import type { Writable } from "node:stream";
import { Utf8Buffer } from "./utf8-buffer.js";

/** Bytes handed to the stream at a time. */
const SEND_AT = 256 * 1024;
/** Room for one more piece of text past SEND_AT. */
const BUFFER_BYTES = SEND_AT + 64 * 1024;
/** Text (or bytes) this long goes to the stream as it is, not copied into a buffer first. */
const LARGE_TEXT = 1024 * 1024;
const SPARE_BUFFERS = 4;
/**
 * Chunks handed over before `ready` lets the event loop turn once. A file (or a terminal) takes
 * writes synchronously and calls back on the next tick; a run that never waits for a read or a
 * drain would otherwise hold every chunk's buffer until it ends (a 1 GB convert into a file grew
 * to 600 MB) and could not see a signal.
 */
const YIELD_EVERY = 16;
/** Pieces `writeEach` writes between two waits for the stream. */
const WAIT_EVERY_PIECES = 256;

export class OutputWriter {
  private out = new Utf8Buffer(BUFFER_BYTES);
  private readonly spare: Buffer[] = [];
  private waiting: Promise<void> | null = null;
  /** Chunks handed over since the event loop last turned (see YIELD_EVERY). */
  private sent = 0;
  /** Set when the reader on the other side went away or a write failed; the pipeline stops. */
  closed = false;
  /** The write error, when a write failed for another reason than a closed pipe. */
  failure: NodeJS.ErrnoException | null = null;

  constructor(private readonly stream: Writable) {
    // A failed write is the process's to report (cli/entry.ts): here it only stops the run.
    stream.on("error", (err: NodeJS.ErrnoException) => {
      this.closed = true;
      if (err.code !== "EPIPE" && err.code !== "ERR_STREAM_DESTROYED") this.failure = err;
    });
  }

  write(text: string): void {
    this.put(text);
  }

  writeBytes(bytes: Buffer): void {
    this.put(bytes);
  }

  /** Text or bytes: collected, or handed to the stream as they are when large. */
  private put(piece: string | Buffer): void {
    if (piece.length >= LARGE_TEXT) {
      this.flush();
      this.send(piece);
      return;
    }
    if (typeof piece === "string") this.out.write(piece);
    else this.out.writeBytes(piece);
    if (this.out.length >= SEND_AT) this.flush();
  }

  /**
   * Writes each piece followed by `end`, waiting for a full pipe every so often, so that a long
   * view is never held whole as text; stops early once the reader has gone.
   */
  async writeEach(pieces: Iterable<string>, end = "\n"): Promise<void> {
    let written = 0;
    for (const piece of pieces) {
      this.write(piece + end);
      if (++written % WAIT_EVERY_PIECES === 0) {
        if (this.closed) return;
        await this.ready();
      }
    }
  }

  /** Resolves when the stream can take more (immediately when it can already). */
  ready(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.waiting !== null) return this.waiting;
    if (this.sent < YIELD_EVERY) return Promise.resolve();
    this.sent = 0;
    return new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * Hands everything written so far to the stream. The stream holds a buffer until it is
   * written, so collecting goes on in another; buffers come back once written (a fresh one each
   * time made the collector run for the external memory).
   */
  flush(): void {
    if (this.out.empty) return;
    const { buffer, length } = this.out.take(this.spare.pop());
    this.send(buffer.subarray(0, length), () => {
      if (this.spare.length < SPARE_BUFFERS && buffer.length === BUFFER_BYTES) {
        this.spare.push(buffer);
      }
    });
  }

  private send(chunk: string | Buffer, written?: () => void): void {
    if (this.closed) return;
    this.sent++;
    if (!this.stream.write(chunk, written) && this.waiting === null) {
      this.waiting = new Promise((resolve) => {
        const done = () => {
          this.stream.off("drain", done);
          this.stream.off("close", done);
          this.stream.off("error", done);
          this.waiting = null;
          resolve();
        };
        this.stream.on("drain", done);
        this.stream.on("close", done);
        // A reader that went away (EPIPE) ends the wait too: nothing will drain any more.
        this.stream.once("error", done);
      });
    }
  }

  /** Flushes and waits until everything written has been handed to the OS. */
  async end(): Promise<void> {
    this.flush();
    await this.ready();
  }
}
