/**
 * Buffered output. Sinks append strings (and the rare Buffer holding invalid UTF-8); the writer
 * hands the stream large chunks, tells the pipeline when to wait for `drain`, and turns a closed
 * pipe (`dynlog convert big.jsonl | head`) into a quiet stop instead of an error.
 *
 * Receives: text and bytes. Emits: chunks to a Writable.
 */
import type { Writable } from "node:stream";

const FLUSH_AT = 256 * 1024;

export class OutputWriter {
  private parts: string[] = [];
  private size = 0;
  private waiting: Promise<void> | null = null;
  /** Set when the reader on the other side went away; the pipeline stops reading. */
  closed = false;

  constructor(private readonly stream: Writable) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED") {
        this.closed = true;
        return;
      }
      throw err;
    });
  }

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) this.flush();
  }

  writeBytes(bytes: Buffer): void {
    this.flush();
    this.send(bytes);
  }

  /** Resolves when the stream can take more (immediately when it can already). */
  ready(): Promise<void> {
    return this.waiting ?? Promise.resolve();
  }

  flush(): void {
    if (this.size === 0 && this.parts.length === 0) return;
    const chunk = this.parts.join("");
    this.parts = [];
    this.size = 0;
    this.send(chunk);
  }

  private send(chunk: string | Buffer): void {
    if (this.closed) return;
    if (!this.stream.write(chunk) && this.waiting === null) {
      this.waiting = new Promise((resolve) => {
        const done = () => {
          this.stream.off("drain", done);
          this.stream.off("close", done);
          this.waiting = null;
          resolve();
        };
        this.stream.on("drain", done);
        this.stream.on("close", done);
      });
    }
  }

  /** Flushes and waits until everything written has been handed to the OS. */
  async end(): Promise<void> {
    this.flush();
    await this.ready();
  }
}
