/**
 * Text and bytes collected as UTF-8 in one growing buffer. Text is joined in pieces of 16K
 * characters and encoded as it comes: three times cheaper than joining large strings and
 * encoding them whole (it was 16 % of a `convert`), and the pieces die young, which keeps the
 * collector cheap. Both the output writer and the `convert` workers collect output this way.
 *
 * A worker converting for a merge also marks where each record's output ends (`mark`), so that
 * the main thread can interleave whole records from several inputs without decoding anything.
 *
 * Receives: text and bytes. Emits: the bytes (and the marks), when taken.
 */

/** Characters of text joined at a time before they are encoded. */
const PIECE = 16 * 1024;

export class Utf8Buffer {
  private parts: string[] = [];
  private chars = 0;
  private buf: Buffer;
  /** Byte offsets of the marks made so far (see `mark`). */
  private marks: number[] = [];
  /** Marks made while text was still in pieces: how many pieces preceded each. */
  private pendingMarks: number[] = [];
  /** Bytes encoded so far (text still in pieces not counted). */
  length = 0;

  constructor(private readonly capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  get empty(): boolean {
    return this.length === 0 && this.parts.length === 0;
  }

  write(text: string): void {
    this.parts.push(text);
    this.chars += text.length;
    if (this.chars >= PIECE) this.encode();
  }

  writeBytes(bytes: Buffer): void {
    this.encode();
    this.reserve(bytes.length);
    this.length += bytes.copy(this.buf, this.length);
  }

  /** Marks the end of everything written so far (its byte offset is known once encoded). */
  mark(): void {
    if (this.parts.length === 0) this.marks.push(this.length);
    else this.pendingMarks.push(this.parts.length);
  }

  /**
   * Everything written, as the whole buffer (its own memory, never a slice of Node's shared
   * pool), the length used and the byte offsets marked; collecting starts again in `next` or a
   * new buffer.
   */
  take(next?: Buffer): { buffer: Buffer; length: number; marks: number[] } {
    this.encode();
    const taken = { buffer: this.buf, length: this.length, marks: this.marks };
    this.buf = next ?? Buffer.allocUnsafe(this.capacity);
    this.length = 0;
    this.marks = [];
    return taken;
  }

  private encode(): void {
    if (this.parts.length === 0) return;
    const parts = this.parts;
    const text = parts.length === 1 ? (parts[0] as string) : parts.join("");
    this.parts = [];
    this.chars = 0;
    const free = this.buf.length - this.length;
    this.reserve(text.length * 3 <= free ? 0 : Buffer.byteLength(text));
    const start = this.length;
    const bytes = this.buf.write(text, start);
    this.length += bytes;
    if (this.pendingMarks.length > 0) this.placeMarks(parts, start, bytes === text.length);
  }

  /**
   * Turns the pending marks into byte offsets: counted in characters when the text was all
   * ASCII (one byte each), otherwise in each piece's UTF-8 length.
   */
  private placeMarks(parts: string[], start: number, ascii: boolean): void {
    let at = start;
    let piece = 0;
    for (const before of this.pendingMarks) {
      for (; piece < before; piece++) {
        const part = parts[piece] as string;
        at += ascii ? part.length : Buffer.byteLength(part);
      }
      this.marks.push(at);
    }
    this.pendingMarks = [];
  }

  private reserve(more: number): void {
    if (this.length + more <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + more));
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }
}
