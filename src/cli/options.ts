/**
 * The one option table. It drives yargs (parsing and `--help`), and a test checks that
 * `man/dynlog.1` documents every entry. Commands list the options they take besides the common
 * ones.
 */
import { VALIDATE_COMMAND } from "../commands/validate.js";

export interface OptionSpec {
  readonly name: string;
  readonly alias?: string;
  readonly type: "string" | "boolean" | "number";
  readonly array?: boolean;
  readonly choices?: readonly string[];
  readonly default?: string | number | boolean;
  readonly placeholder?: string;
  readonly describe: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  readonly examples: readonly (readonly [string, string])[];
}

export const COMMON_OPTIONS: readonly OptionSpec[] = [
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
    placeholder: "key=value",
    describe: "keep records whose field equals the value (repeatable; all must hold)",
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
];

const WIDTH: OptionSpec = {
  name: "width",
  type: "number",
  placeholder: "columns",
  describe: "width to fit the view to (default: COLUMNS, else the terminal's, else 120)",
};

const WIDE: OptionSpec = {
  name: "wide",
  type: "boolean",
  describe: "show every column whole, however wide (default: cut or leave out to fit --width)",
};

/** Repeatable without `array`: yargs collects a repeated option, and takes one value each time. */
const HIDE: OptionSpec = {
  name: "hide",
  type: "string",
  placeholder: "key",
  describe: "leave this field out of displayed records (repeatable; * matches any characters)",
};

const SOURCE: OptionSpec = {
  name: "source",
  type: "boolean",
  describe: "start each line with its source column, as tail does (default: Dynamo's bytes)",
};

export const COMMANDS: readonly CommandSpec[] = [
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
        type: "number",
        default: 10,
        placeholder: "N",
        describe: "start with the last N records of each file (0: only new ones)",
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
      { name: "limit", type: "number", placeholder: "n", describe: "print at most n rows" },
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
        type: "string",
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
  VALIDATE_COMMAND,
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
];

/** Every option name the CLI accepts (for the man-page test). */
export function allOptions(): OptionSpec[] {
  return [...COMMON_OPTIONS, ...COMMANDS.flatMap((c) => c.options)];
}
