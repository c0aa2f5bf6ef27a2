/**
 * What every trace export format is: a document written in pieces, so traces are written as they
 * are ready and a large export never becomes one string. `begin` opens the document, `trace`
 * returns the text of one trace (separators included), `finish` closes it.
 *
 * Receives: traces, one at a time. Emits: text.
 */
import type { Trace } from "../trace/span.js";

export interface TraceDocument {
  begin(): string;
  trace(trace: Trace): string;
  finish(): string;
}

/** What `dynlog export` was asked to do (checked by the command line). */
export type ExportFormat = "otlp" | "jaeger" | "grafana" | "chrome";

export interface ExportOptions {
  format: ExportFormat;
  output: string | undefined;
  ids: string[];
  errors: boolean;
  minDurationUs: number | null;
  push: boolean;
  endpoint: string | undefined;
  protocol: string | undefined;
  signals: { traces: boolean; logs: boolean };
  version: string;
  /** The environment the OTEL_* variables are read from. */
  env: NodeJS.ProcessEnv;
}
