/**
 * The work of `dynlog validate`: each input through the normal record pipeline (one at a time,
 * so line numbers are that input's physical lines) into the validating sink, span checks at the
 * end of each input and of the run, then the report in the chosen format.
 *
 * Receives: sources, the record filter, options, where to write. Emits: the counts and problems,
 * written; returns whether any line was invalid and whether the reader of the output went away.
 */
import type { Writable } from "node:stream";
import type { RecordFilter } from "../filter/record-filter.js";
import type { Source } from "../model/record.js";
import { OutputWriter } from "../output/writer.js";
import type { InputErrorHandler } from "../parse/record-stream.js";
import { runPipeline } from "../pipeline/run.js";
import { ProblemLog } from "./problems.js";
import { type ReportView, renderValidateJson, renderValidateText } from "./report.js";
import { SpanChecker } from "./span-checks.js";
import { ValidateSink } from "./validate-sink.js";

export interface ValidationRun {
  sources: Source[];
  filter: RecordFilter;
  format: "text" | "json";
  strict: boolean;
  stdout: Writable;
  onInputError: InputErrorHandler;
  /** Inputs reported unreadable so far (read after the run). */
  unreadable: () => number;
  /** Colours and width of the text report. */
  view: ReportView;
}

function displayName(source: Source): string {
  return source.path === "-" ? "stdin" : source.path;
}

export interface ValidationOutcome {
  invalid: boolean;
  outputClosed: boolean;
}

/** Runs the checks and writes the report. */
export async function validateInputs(run: ValidationRun): Promise<ValidationOutcome> {
  const writer = new OutputWriter(run.stdout);
  const log = new ProblemLog(run.sources.map(displayName));
  const spans = new SpanChecker((place, kind, problem) => log.add(place, "warning", kind, problem));
  const sink = new ValidateSink(log, spans, run.strict);
  for (const source of run.sources) {
    await runPipeline([source], run.filter, sink, writer, run.onInputError);
    sink.endSource();
    spans.endSource(source.index);
  }
  spans.end();
  const result = { ...sink.counts, files: run.sources.length, unreadable: run.unreadable(), log };
  writer.write(
    run.format === "json" ? renderValidateJson(result) : renderValidateText(result, run.view),
  );
  await writer.end();
  return { invalid: result.invalid > 0, outputClosed: writer.closed };
}
