/**
 * The live view's line: an optional source column (one colour per source), then Dynamo's readable
 * layout with a short trace tag after the level (`⟨b672cc⟩`, coloured by the trace id, so one
 * request's lines stand out across components). Lines that are not records are shown dimmed under
 * their source. Unless `--raw`, nothing from the data can drive the terminal: controls, ESC and
 * bare CR in messages, names and raw lines are shown escaped.
 *
 * Receives: records and view settings. Emits: display lines (without newline).
 */
import stringWidth from "string-width";
import type { LogRecord } from "../model/record.js";
import { formatFieldValue, padLevel, type TimeRenderer } from "./dynamo-layout.js";
import type { LayoutStyle } from "./layout-style.js";
import { escapeMessage } from "./rust-escape.js";
import { terminalSafe, terminalSafeBytes } from "./terminal-safe.js";

export interface TailView {
  style: LayoutStyle;
  time: TimeRenderer;
  /** Show the source column. */
  labels: boolean;
  /** Labels known before any line (the inputs'), so the column starts at its final width. */
  knownLabels: readonly string[];
  /** Let control characters through (`--raw`). */
  raw: boolean;
  /**
   * Bytes that are not valid UTF-8 are written as they are (output to a pipe, or `--raw`), as
   * `convert` writes them (see `unparsedBytes`); otherwise they are shown escaped (`\xNN`).
   */
  exactBytes?: boolean;
}

const PALETTE = [36, 35, 33, 32, 34, 31, 96, 95, 93, 92, 94, 91];
/** Trace tags: 256-colour codes that read on dark and light backgrounds. */
const TRACE_COLOURS = [39, 41, 43, 69, 75, 99, 105, 135, 141, 165, 171, 177, 203, 208, 214, 220];

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export class TailLayout {
  private readonly labelColour = new Map<string, number>();
  private labelWidth = 0;

  constructor(private readonly view: TailView) {
    for (const label of view.knownLabels) {
      this.labelWidth = Math.max(this.labelWidth, Math.min(stringWidth(label), 24));
    }
  }

  private safe(text: string, multiline = false): string {
    return this.view.raw ? text : terminalSafe(text, multiline);
  }

  /** The source column: shown with several inputs, or when a launcher prefix names the line. */
  private label(label: string, prefixed: boolean): string {
    if (!this.view.labels && !prefixed) return "";
    const width = stringWidth(label);
    if (width > this.labelWidth) this.labelWidth = Math.min(width, 24);
    let colour = this.labelColour.get(label);
    if (colour === undefined) {
      colour = PALETTE[this.labelColour.size % PALETTE.length] as number;
      this.labelColour.set(label, colour);
    }
    const text = this.safe(label).padEnd(this.labelWidth);
    return this.view.style.ansi ? `\x1b[${colour}m${text}\x1b[0m │ ` : `${text} │ `;
  }

  private traceTag(traceId: string): string {
    if (traceId === "") return "";
    const short = this.safe(traceId.slice(0, 6));
    if (!this.view.style.ansi) return `⟨${short}⟩ `;
    const colour = TRACE_COLOURS[hash(traceId) % TRACE_COLOURS.length];
    return `\x1b[38;5;${colour}m⟨${short}⟩\x1b[0m `;
  }

  /** A record's display line. */
  record(rec: LogRecord): string {
    if (rec.kind === "unparsed") return this.unparsed(rec);
    const { style, time } = this.view;
    let out = this.label(rec.label, rec.prefix !== "");
    out += `${style.time(this.safe(time(rec)))} ${style.level(padLevel(rec), rec.level)} `;
    out += this.traceTag(rec.traceId);
    if (rec.spanName !== "") {
      for (const outer of rec.outerSpans) out += `${style.span(this.safe(outer))}:`;
      out += `${style.span(this.safe(rec.spanName))}: `;
    }
    out += `${style.target(this.safe(rec.target))}${style.colon()} `;
    let first = true;
    if (rec.hasMessage) {
      out += this.safe(escapeMessage(rec.message), true);
      first = false;
    }
    for (const f of rec.fields) {
      out += `${first ? "" : " "}${style.key(this.safe(f.key))}${style.equals()}${this.safe(formatFieldValue(f))}`;
      first = false;
    }
    return out;
  }

  private unparsed(rec: LogRecord): string {
    let text: string;
    if (typeof rec.raw === "string") text = this.safe(rec.raw.slice(rec.prefix.length));
    else {
      const body = rec.raw.subarray(Buffer.byteLength(rec.prefix));
      text = this.view.raw ? body.toString("utf8") : terminalSafeBytes(body);
    }
    return (
      this.label(rec.label, rec.prefix !== "") +
      (this.view.style.ansi ? `\x1b[2m${text}\x1b[0m` : text)
    );
  }

  /**
   * A line of bytes that are not valid UTF-8, to be written byte for byte (`exactBytes`): the
   * text before and after its bytes; null when the line is shown as text (`record`).
   */
  unparsedBytes(rec: LogRecord): { head: string; body: Buffer; tail: string } | null {
    if (rec.kind !== "unparsed" || typeof rec.raw === "string" || !this.view.exactBytes) {
      return null;
    }
    const ansi = this.view.style.ansi;
    return {
      head: this.label(rec.label, rec.prefix !== "") + (ansi ? "\x1b[2m" : ""),
      body: rec.raw.subarray(Buffer.byteLength(rec.prefix)),
      tail: ansi ? "\x1b[0m" : "",
    };
  }
}
