/**
 * The stage order: a module may import from its own stage and from earlier ones, never from a
 * later one (`test/unit/import-order.test.ts` checks every import in src/ and tools/, and that
 * no imports form a cycle). Each stage is a directory of src/; tools/ come after all of them.
 *
 * - model: the record, levels, the sink contract: what every stage speaks; and the dependencies
 *   a run loads on first use.
 * - input: bytes and lines from files, pipes and followers.
 * - parse: lines to records (JSONL, the readable layout, prefixes, times, durations).
 * - filter: which records a run keeps (directives, --where, time bounds, the regex engine).
 * - trace: spans and traces built from records.
 * - render: records, spans and tables to text (renderers draw traces, so they follow trace).
 * - report: the HTML report's data and page (drawn from traces and statistics, like render).
 * - export: traces as OTLP, Jaeger, Grafana and Chrome documents, and the OTLP/HTTP client.
 * - output: the buffered writer.
 * - config: the run configuration (plain settings and their compiled form).
 * - sinks: streaming views driven by the pipeline (they read the configuration).
 * - pipeline: inputs -> records -> filter -> sink, on one thread or on workers.
 * - validate: the validate command's checks, sink and report (it runs the pipeline and uses the
 *   renderers, so it sits above both).
 * - commands: one module per command, wiring a configuration into a pipeline or a view.
 * - cli: argv to a configuration and a command; the process entry.
 */
export const STAGES = [
  "model",
  "input",
  "parse",
  "filter",
  "trace",
  "render",
  "report",
  "export",
  "output",
  "config",
  "sinks",
  "pipeline",
  "validate",
  "commands",
  "cli",
] as const;
