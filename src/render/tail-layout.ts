/**
 * The live view's line: an optional source column (one colour per source), then Dynamo's readable
 * layout with a short trace tag after the level (`⟨b672cc⟩`, coloured by the trace id, so one
 * request's lines stand out across components). Lines that are not records are shown dimmed under
 * their source. Unless `--raw`, nothing from the data can drive the terminal: controls, ESC and
 * bare CR in messages, names and raw lines are shown escaped.
 *
 * Receives: records and view settings. Emits: display lines (without newline).
 */
import type { LogRecord } from "../model/record.js";
import { padLevel, renderFields, type TimeRenderer } from "./dynamo-layout.js";
import type { KeyMatcher } from "./key-glob.js";
import type { LayoutStyle } from "./layout-style.js";
import { escapeMessage } from "./rust-escape.js";
import { SourceColumn } from "./source-column.js";
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
  /** Field keys not shown (`--hide`), or null. */
  hidden?: KeyMatcher | null;
  /**
   * Bytes that are not valid UTF-8 are written as they are (output to a pipe, or `--raw`), as
   * `convert` writes them (see `unparsedBytes`); otherwise they are shown escaped (`\xNN`).
   */
  exactBytes?: boolean;
}

/** Trace tags: 256-colour codes that read on dark and light backgrounds. */
const TRACE_COLOURS = [39, 41, 43, 69, 75, 99, 105, 135, 141, 165, 171, 177, 203, 208, 214, 220];

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export class TailLayout {
  private readonly column: SourceColumn;

  constructor(private readonly view: TailView) {
    this.column = new SourceColumn(view.knownLabels, view.style.ansi, (s) => this.safe(s));
  }

  /** Text from the data, made printable (unless `--raw`). */
  private readonly word = (text: string): string => this.safe(text);

  private safe(text: string, multiline = false): string {
    return this.view.raw ? text : terminalSafe(text, multiline);
  }

  /** The source column: shown with several inputs, or when a launcher prefix names the line. */
  private label(label: string, prefixed: boolean): string {
    if (!this.view.labels && !prefixed) return "";
    return this.column.cell(label);
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
    return out + renderFields(rec, style, this.word, this.word, this.view.hidden ?? null, first);
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
