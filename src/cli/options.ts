/**
 * The one option table. From it come the parser's types and checks (`args.ts`), `--help`
 * (`help.ts`), shell completions (`completion.ts`), and a test checks that `man/dynlog.1`
 * documents every entry. Adding an option is adding an entry: its value reaches the command typed
 * (`type`, `choices`, `parse` decide the type; `default` makes it always present).
 *
 * Option types: `boolean` (`--x`, `--no-x`), `string`, `number` (a finite number, within
 * `min`/`max`, whole with `integer`), or `custom` with a `parse` function that returns the value
 * or throws `OptionValueError` with what was expected. `array`: the option repeats, one value per
 * occurrence (`--where a=1 --where b=2`). Every value-taking option takes exactly one value.
 */
import type { LinesStart } from "../input/tail-start.js";
import { parseDurationUs } from "../parse/duration.js";

export class OptionValueError extends Error {}

export interface OptionSpec {
  readonly name: string;
  readonly alias?: string;
  readonly type: "string" | "boolean" | "number" | "custom";
  readonly array?: boolean;
  readonly choices?: readonly string[];
  readonly default?: unknown;
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly parse?: (text: string) => unknown;
  readonly placeholder?: string;
  readonly describe: string;
}

export interface CommandSpec {
  readonly name: string;
  /** `name <required> [inputs..]`: a `<word>` is a required argument before the inputs. */
  readonly usage: string;
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  readonly examples: readonly (readonly [string, string])[];
  /** Extra help text (a grammar, a table of operators), printed after the options. */
  readonly notes?: string;
  /** The command reads no log inputs (`completion`). */
  readonly noInputs?: boolean;
}

export function parseLinesStart(text: string): LinesStart {
  if (text === "all") return { from: 1 };
  const m = /^(\+?)(\d+)$/.exec(text);
  if (m === null) throw new OptionValueError("expected N, +N (from the Nth record) or all");
  const n = Number(m[2]);
  if (m[1] === "+") return { from: Math.max(1, n) };
  return { last: n };
}

/** A duration with a unit (`500ms`, `3s`), in microseconds. */
export function parseDurationOption(text: string): number {
  const us = parseDurationUs(text.trim());
  if (us === null) throw new OptionValueError("expected a duration with a unit (500ms, 3s, 1m)");
  return us;
}

export const WHERE_GRAMMAR = [
  "--where KEY OP VALUE (repeatable; all must hold). OP:",
  "  =  equals   != differs (or absent)   ~  contains   ~= regular expression (RE2 syntax)",
  "  <  <=  >  >=  compare numbers (ttft_ms>500) or durations (time.duration_us>2s, 500ms)",
  "KEY: a field (x_request_id, time.duration_us) or level, target, message, span_name,",
  "trace_id, span_id, parent_id, source. level compares by severity: 'level>=warn'. Quote < and >.",
].join("\n");

export const COMMON_OPTIONS = [
  {
    name: "filter",
    type: "string",
    placeholder: "directives",
    describe:
      "keep records a DYN_LOG filter enables (EnvFilter syntax: info,dynamo_runtime=debug,[http-request]=trace)",
  },
  {
    name: "dynamo-defaults",
    type: "boolean",
    describe:
      "add Dynamo's built-in directives (h2,tower,...=error) after --filter, as a Dynamo process does",
  },
  {
    name: "since",
    type: "string",
    placeholder: "time",
    describe: "keep records at or after this time: RFC 3339, or relative (30s, 10m, 2h, 1d ago)",
  },
  {
    name: "until",
    type: "string",
    placeholder: "time",
    describe: "keep records at or before this time: RFC 3339, or relative",
  },
  {
    name: "where",
    type: "string",
    array: true,
    placeholder: "expr",
    describe:
      "keep records where a field compares: = != ~ (contains) ~= (regex) < <= > >= (numbers, durations); all must hold",
  },
  {
    name: "tz",
    type: "string",
    placeholder: "zone",
    describe: "print times in this IANA zone (default: as written, UTC for Dynamo)",
  },
  { name: "local", type: "boolean", describe: "print times in the local zone (TZ or system)" },
  {
    name: "raw",
    type: "boolean",
    describe:
      "let control characters from the logs reach the terminal (default: ESC, C0/C1 controls, bare CR shown escaped)",
  },
  {
    name: "color",
    type: "string",
    choices: ["auto", "always", "never"],
    default: "auto",
    describe: "colour output: auto (terminal only; honours NO_COLOR and FORCE_COLOR)",
  },
] as const satisfies readonly OptionSpec[];

const WIDTH = {
  name: "width",
  type: "number",
  integer: true,
  min: 40,
  max: 1000,
  placeholder: "columns",
  describe: "width to fit the view to (default: COLUMNS, else the terminal's, else 120)",
} as const satisfies OptionSpec;

const WIDE = {
  name: "wide",
  type: "boolean",
  describe: "show every column whole, however wide (default: cut or leave out to fit --width)",
} as const satisfies OptionSpec;

const HIDE = {
  name: "hide",
  type: "string",
  array: true,
  placeholder: "key",
  describe: "leave this field out of displayed records (repeatable; * matches any characters)",
} as const satisfies OptionSpec;

const SOURCE = {
  name: "source",
  type: "boolean",
  describe: "start each line with its source column, as tail does (default: Dynamo's bytes)",
} as const satisfies OptionSpec;

export const COMMANDS = [
  {
    name: "convert",
    usage: "convert [inputs..]",
    summary: "JSONL to Dynamo's readable text format, byte for byte (or readable to JSONL)",
    options: [
      {
        name: "to",
        type: "string",
        choices: ["text", "jsonl"],
        default: "text",
        describe:
          'text: Dynamo\'s readable layout; jsonl: JSON Lines in Dynamo\'s shape (keys in its order), other lines as {"@raw","@source","@time"} objects',
      },
      HIDE,
      SOURCE,
    ],
    examples: [
      ["dynlog convert frontend.jsonl", "print a JSONL log as Dynamo's readable mode would have"],
      [
        "dynlog convert --filter info,dynamo_llm=debug fe.jsonl decode.jsonl",
        "merge two components by time, filtered with DYN_LOG syntax",
      ],
      ["kubectl logs deploy/frontend | dynlog convert --tz Europe/Paris", "convert a live pipe"],
      [
        "dynlog convert --to jsonl worker.log | jq 'select(.[\"@raw\"] == null) | .message'",
        "readable logs to JSONL for jq (dropping lines that are not records)",
      ],
      [
        "dynlog convert --where 'ttft_ms>500' --where 'level>=warn' *.jsonl",
        "slow first tokens, warnings and errors",
      ],
    ],
  },
  {
    name: "tail",
    usage: "tail [inputs..]",
    summary: "live, filtered, coloured view of one or many components' logs",
    options: [
      {
        name: "lines",
        alias: "n",
        type: "custom",
        parse: parseLinesStart,
        default: { last: 10 } as LinesStart,
        placeholder: "N|+N|all",
        describe:
          "start with the last N records of each file (default 10; 0: only new ones), +N: from the Nth record, all: from the first",
      },
      {
        name: "follow",
        type: "boolean",
        default: true,
        describe: "keep following files like tail -F (--no-follow: print and exit)",
      },
      {
        name: "traces",
        type: "boolean",
        describe: "also print a one-line summary whenever a root span closes",
      },
      {
        name: "max-traces",
        type: "number",
        integer: true,
        min: 1,
        default: 10000,
        placeholder: "N",
        describe: "open traces --traces keeps at most (the oldest are dropped, with a note)",
      },
      HIDE,
    ],
    examples: [
      ["python -m dynamo.frontend 2>&1 | dynlog tail", "a component's stderr, live"],
      [
        "dynlog tail frontend.log prefill.log decode.log --traces",
        "three components, with request summaries",
      ],
      [
        "dynlog tail -n 100 --filter warn *.log",
        "warnings and errors, starting with the last 100 records",
      ],
      ["dynlog tail -n all --no-follow app.log", "every record of a file, coloured"],
    ],
  },
  {
    name: "trace",
    usage: "trace <id> [inputs..]",
    summary: "one request across components as a span tree with busy/idle times",
    options: [
      {
        name: "format",
        type: "string",
        choices: ["waterfall", "tree", "json", "html"],
        default: "waterfall",
        describe:
          "waterfall (bars on a time axis), tree (no bars), json, or html (a self-contained page, as report writes)",
      },
      { name: "logs", type: "boolean", describe: "print each span's records under it" },
      { name: "details", type: "boolean", describe: "print each span's attributes as a table" },
      WIDTH,
      WIDE,
    ],
    notes:
      "<id>: a trace id, a unique trace id prefix (6+ hex digits), or an x_request_id / request_id value.",
    examples: [
      ["dynlog trace b672ccf4 frontend.jsonl prefill.jsonl decode.jsonl", "by trace id prefix"],
      ["dynlog trace 8372eac7-5f43-4d76-beca-0a94cfb311d0 *.jsonl --logs", "by x-request-id"],
    ],
  },
  {
    name: "traces",
    usage: "traces [inputs..]",
    summary: "one row per trace: start, ids, root, duration, spans, services, problems",
    options: [
      {
        name: "sort",
        type: "string",
        choices: ["start", "duration"],
        default: "start",
        describe: "order rows by start time, or by duration (slowest first)",
      },
      {
        name: "limit",
        type: "number",
        integer: true,
        min: 0,
        placeholder: "n",
        describe: "print at most n rows",
      },
      {
        name: "format",
        type: "string",
        choices: ["table", "json"],
        default: "table",
        describe: "table (a list: one line per trace, heading first) or json",
      },
      WIDTH,
      WIDE,
      { name: "errors", type: "boolean", describe: "only traces with an ERROR record" },
      { name: "open", type: "boolean", describe: "only traces with a span never closed" },
      {
        name: "min-duration",
        type: "custom",
        parse: parseDurationOption,
        placeholder: "dur",
        describe: "only requests that took at least this long (500ms, 3s, 1m)",
      },
      {
        name: "service",
        type: "string",
        placeholder: "name",
        describe: "only traces with a span of this service",
      },
    ],
    examples: [
      ["dynlog traces --sort duration --limit 10 *.jsonl", "the ten slowest requests"],
      ["dynlog traces --errors --service decode *.jsonl", "failed requests that reached decode"],
      ["dynlog traces --where level=WARN *.jsonl", "requests with a warning, each shown whole"],
    ],
  },
  {
    name: "stats",
    usage: "stats [inputs..]",
    summary: "per service and span name: count, p50/p90/p99/max duration, mean busy and idle",
    options: [
      {
        name: "format",
        type: "string",
        choices: ["table", "json"],
        default: "table",
        describe: "table or json",
      },
      WIDTH,
      WIDE,
    ],
    examples: [["dynlog stats frontend.jsonl decode.jsonl", "where time goes, per span name"]],
  },
  {
    name: "validate",
    usage: "validate [inputs..]",
    summary:
      "check JSON lines against Dynamo's log schema and that spans add up; exit 1 if invalid",
    options: [
      {
        name: "format",
        type: "string",
        choices: ["text", "json"],
        default: "text",
        describe: "text (<source>:<line>: <problem>, then a summary) or json",
      },
      {
        name: "strict",
        type: "boolean",
        describe:
          "lines that are not JSON objects (tracebacks, prints, blank lines) are errors too",
      },
    ],
    examples: [
      ["dynlog validate frontend.jsonl prefill.jsonl decode.jsonl", "check a deployment's logs"],
      ["dynlog validate --strict --format json app.jsonl | jq .summary", "count problems by kind"],
    ],
  },
  {
    name: "export",
    usage: "export [inputs..]",
    summary:
      "traces rebuilt from the logs as OTLP, Jaeger, Grafana or Chrome trace JSON, or pushed over OTLP/HTTP",
    options: [
      {
        name: "format",
        type: "string",
        choices: ["otlp", "jaeger", "grafana", "chrome"],
        default: "otlp",
        describe:
          "otlp: OTLP/JSON, one TracesData per line; jaeger: Jaeger UI's JSON upload; grafana: Grafana's Import trace; chrome: Trace Event Format (Perfetto, speedscope)",
      },
      {
        name: "output",
        alias: "o",
        type: "string",
        placeholder: "file",
        describe: "write to this file instead of standard output",
      },
      {
        name: "trace",
        type: "string",
        array: true,
        placeholder: "id",
        describe: "export this trace only: id, unique prefix (6+ hex) or request id (repeatable)",
      },
      { name: "errors", type: "boolean", describe: "only traces with an ERROR record" },
      {
        name: "min-duration",
        type: "custom",
        parse: parseDurationOption,
        placeholder: "dur",
        describe: "only traces lasting at least this long (250ms, 2s, 1m)",
      },
      {
        name: "push",
        type: "boolean",
        describe:
          "send over OTLP/HTTP to the collector the OTEL_EXPORTER_OTLP_* variables name (default http://localhost:4318); progress on stderr when it is a terminal",
      },
      {
        name: "endpoint",
        type: "string",
        placeholder: "url",
        describe: "--push: the traces URL, as-is (overrides the OTEL_EXPORTER_OTLP_* endpoints)",
      },
      {
        name: "protocol",
        type: "string",
        choices: ["http/protobuf", "http/json", "grpc"],
        describe: "--push: http/protobuf (default, or OTEL_EXPORTER_OTLP_PROTOCOL) or http/json",
      },
      {
        name: "signals",
        type: "string",
        default: "traces",
        placeholder: "list",
        describe:
          "--push: what to send: traces, logs, or traces,logs (every record as an OTLP log record)",
      },
    ],
    notes:
      "Services: a label= name, else the service the logs announce (OTLP export ... service=), else a launcher prefix's name; OTEL_SERVICE_NAME (else service.name in OTEL_RESOURCE_ATTRIBUTES) names what none of these does, instead of the input's own name (file name, stdin). The other OTEL_RESOURCE_ATTRIBUTES go on every resource.",
    examples: [
      ["dynlog export --push *.jsonl", "send the traces in the logs to the local collector"],
      ["dynlog export --format jaeger -o traces.json *.jsonl", "a file for Jaeger UI's upload"],
      [
        "dynlog export --format chrome -o trace.json --trace b672ccf4 *.jsonl",
        "one request for Perfetto",
      ],
    ],
  },
  {
    name: "report",
    usage: "report [inputs..]",
    summary: "one self-contained HTML file: overview, every request, each request's waterfall",
    options: [
      {
        name: "output",
        alias: "o",
        type: "string",
        default: "dynlog-report.html",
        placeholder: "file",
        describe: "file to write (- for standard output)",
      },
      {
        name: "detail",
        type: "number",
        integer: true,
        min: 0,
        default: 1000,
        placeholder: "N",
        describe:
          "keep every span and record of the N slowest requests (and of every request with an error or an open span); the others get a summary row",
      },
    ],
    examples: [
      ["dynlog report frontend.jsonl prefill.jsonl decode.jsonl", "write dynlog-report.html"],
      ["dynlog report -o incident.html --since 2h *.jsonl", "the last two hours, to a named file"],
    ],
  },
  {
    name: "completion",
    usage: "completion <shell>",
    summary: "print a completion script for bash, zsh or fish",
    options: [],
    noInputs: true,
    examples: [
      ["source <(dynlog completion bash)", "complete commands and options in bash"],
      ["dynlog completion fish > ~/.config/fish/completions/dynlog.fish", "in fish"],
    ],
  },
] as const satisfies readonly CommandSpec[];

export type CommandName = (typeof COMMANDS)[number]["name"];

/** Every option the CLI accepts (for the man-page test and completions). */
export function allOptions(): OptionSpec[] {
  return [...COMMON_OPTIONS, ...COMMANDS.flatMap((c): readonly OptionSpec[] => c.options)];
}

export function commandSpec(name: string): CommandSpec | undefined {
  return (COMMANDS as readonly CommandSpec[]).find((c) => c.name === name);
}
