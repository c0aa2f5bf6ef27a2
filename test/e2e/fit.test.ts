/**
 * Output that fits: every line of every table, list and waterfall at most as wide as asked
 * (`--width`, else COLUMNS), at least two labelled ticks on every time axis, `--wide` for
 * everything; `traces` as a list grep and awk read; the source column aligned; `--hide`;
 * `convert --source`; `--color always` on every command. All through the built CLI.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { stripAnsi } from "../../src/parse/ansi.js";
import { displayWidth } from "../../src/render/width.js";
import { dynlog } from "../helpers/cli.js";
import { ROOT, scratchDir } from "../helpers/paths.js";

const SAMPLE = join(ROOT, "fixtures/sample");
const DOC = join(ROOT, "fixtures/doc-example/created");
const sample = ["frontend", "prefill", "decode"].map((n) => join(SAMPLE, `${n}.jsonl`));
const doc = ["frontend", "prefill", "decode"].map((n) => join(DOC, `${n}.jsonl`));
const WIDTHS = [60, 80, 100, 140, 200];

/** Two traces whose ids share 13 hex digits, with long service and span names. */
function longNamesLog(): { path: string; ids: string[] } {
  const dir = scratchDir("fit");
  const ids = ["0123456789abc1ef0123456789abcd01", "0123456789abc2ef0123456789abcd02"];
  const lines: string[] = [];
  const at = (s: number) => `2025-01-01T00:00:${String(s).padStart(2, "0")}.000000Z`;
  const marker = (
    time: string,
    message: string,
    span: string,
    name: string,
    trace: string,
    parent?: string,
    extra = "",
  ) =>
    `{"time":"${time}","level":"INFO","file":"f.rs","line":1,"target":"very_long_crate_name::pipeline::network::ingress::push_endpoint","message":"${message}","service_name_that_is_long":"x"${parent ? `,"parent_id":"${parent}"` : ""},"span_id":"${span}","span_name":"${name}"${extra},"trace_id":"${trace}","x_request_id":"request-${trace}-with-a-long-suffix"}`;
  ids.forEach((trace, t) => {
    const root = `${t}00000000000000a`;
    const a = `${t}00000000000000b`;
    const b = `${t}00000000000000c`;
    const close = (us: number) =>
      `,"time.busy_us":${us / 2},"time.duration_us":${us},"time.idle_us":${us / 2}`;
    lines.push(marker(at(t * 10), "SPAN_CREATED", root, "http-request", trace));
    for (const [span, suffix, from] of [
      [a, "a", 1],
      [b, "b", 2],
    ] as const) {
      const name = `disaggregated_prefill_worker_remote_kv_transfer_${suffix}`;
      lines.push(marker(at(t * 10 + from), "SPAN_CREATED", span, name, trace, root));
      lines.push(
        marker(at(t * 10 + from + 3), "SPAN_CLOSED", span, name, trace, root, close(3_000_000)),
      );
    }
    lines.push(
      marker(at(t * 10 + 7), "SPAN_CLOSED", root, "http-request", trace, undefined, close(7e6)),
    );
  });
  const path = join(dir, "a-very-long-component-name-for-the-prefill-workers.jsonl");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { path, ids };
}

const LONG = longNamesLog();

/** One request whose spans nest 25 deep (each the only child of the one before). */
function deepChainLog(): { path: string; id: string } {
  const dir = scratchDir("fit-deep");
  const id = "dee9dee9dee9dee9dee9dee9dee9dee9";
  const lines: string[] = [];
  for (let i = 0; i < 25; i++) {
    const parent = i === 0 ? "" : `,"parent_id":"${String(i).padStart(16, "0")}"`;
    lines.push(
      `{"time":"2025-01-01T00:00:01.${String(100 - i).padStart(6, "0")}Z","level":"INFO","target":"t","message":"SPAN_CLOSED","span_id":"${String(i + 1).padStart(16, "0")}"${parent},"span_name":"step","trace_id":"${id}","time.busy_us":${100 - i},"time.idle_us":0,"time.duration_us":${100 - i}}`,
    );
  }
  const path = join(dir, "deep.jsonl");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { path, id };
}

const DEEP = deepChainLog();

function views(width: number): [string, string[]][] {
  const w = ["--width", String(width)];
  return [
    ["traces sample", ["traces", ...sample, ...w]],
    ["traces doc", ["traces", ...doc, ...w]],
    ["traces long", ["traces", LONG.path, ...w]],
    ["trace doc", ["trace", "b672ccf4", ...doc, ...w]],
    ["trace sample", ["trace", "b8359cec", ...sample, ...w]],
    ["trace long", ["trace", LONG.ids[0] as string, LONG.path, ...w]],
    ["tree long", ["trace", LONG.ids[1] as string, LONG.path, "--format", "tree", ...w]],
    ["trace deep", ["trace", DEEP.id, DEEP.path, ...w]],
    ["tree deep", ["trace", DEEP.id, DEEP.path, "--format", "tree", ...w]],
    ["details long", ["trace", LONG.ids[0] as string, LONG.path, "--details", ...w]],
    ["stats sample", ["stats", ...sample, ...w]],
    ["stats long", ["stats", LONG.path, ...w]],
  ];
}

/** The labels over a waterfall's time axis (its heading line ends `│<axis>│`). */
function axisLabels(stdout: string): string[] {
  const head = stdout.split("\n").find((l) => l.startsWith("SERVICE"));
  return (head?.match(/│(.*)│$/)?.[1] ?? "").trim().split(/\s+/);
}

function tooWide(text: string, width: number): string[] {
  return text
    .split("\n")
    .filter((line) => displayWidth(stripAnsi(line)) > width)
    .map((line) => `${displayWidth(stripAnsi(line))}: ${line}`);
}

test("every line of every view fits --width 60 to 200 (with colour too); every axis has two labelled ticks", () => {
  for (const width of WIDTHS) {
    for (const [name, args] of views(width)) {
      for (const colour of width === 60 ? ["never", "always"] : ["never"]) {
        const run = dynlog([...args, "--color", colour]);
        assert.is(run.status, 0, `${name} at ${width}: ${run.stderr}`);
        assert.ok(run.stdout.length > 0, name);
        assert.equal(tooWide(run.stdout, width), [], `${name} at ${width}, colour ${colour}`);
        if (!name.startsWith("trace ") || colour === "always") continue;
        const labels = axisLabels(run.stdout);
        assert.ok(labels.length >= 2, `${name} at ${width}: ${labels.join(" ")}`);
        assert.is(labels[0], "0");
        assert.ok(
          labels.every((l) => /^[0-9.]+(µs|ms|s|m)?$/.test(l)),
          labels.join(" "),
        );
      }
    }
  }
});

test("the validate summary fits the width", () => {
  const run = dynlog(["validate", ...sample], { env: { COLUMNS: "60" } });
  assert.match(run.stdout, /┌/);
  const table = run.stdout.split("\n").filter((l) => /^[┌│├└]/.test(l));
  assert.ok(table.length >= 5);
  assert.equal(tooWide(table.join("\n"), 60), []);
});

test("without --width, COLUMNS is the width", () => {
  const run = dynlog(["trace", "b672ccf4", ...doc], { env: { COLUMNS: "60" } });
  assert.is(run.status, 0, run.stderr);
  assert.equal(tooWide(run.stdout, 60), []);
  const wider = dynlog(["trace", "b672ccf4", ...doc], { env: { COLUMNS: "200" } });
  assert.ok(wider.stdout.split("\n").some((l) => displayWidth(l) > 140));
});

test("names cut in the middle stay distinct; --wide shows them whole", () => {
  const run = dynlog(["trace", LONG.ids[0] as string, LONG.path, "--width", "60"]);
  const names = run.stdout
    .split("\n")
    .map((l) => l.match(/[├└]─ (\S+)/)?.[1])
    .filter((n) => n !== undefined);
  assert.is(names.length, 2, run.stdout);
  assert.ok(
    names.every((n) => n.includes("…")),
    names.join(" "),
  );
  assert.ok(names[0]?.endsWith("_a") && names[1]?.endsWith("_b"), names.join(" "));
  const wide = dynlog(["trace", LONG.ids[0] as string, LONG.path, "--width", "60", "--wide"]);
  assert.match(wide.stdout, /disaggregated_prefill_worker_remote_kv_transfer_a/);
  assert.match(wide.stdout, /disaggregated_prefill_worker_remote_kv_transfer_b/);
  const stats = dynlog(["stats", LONG.path, "--width", "60"]).stdout;
  assert.match(stats, /…\S*_a │/);
  assert.match(stats, /…\S*_b │/);
});

test("traces: trace ids shortened to a prefix unique among the rows; --wide gives them whole", () => {
  const run = dynlog(["traces", LONG.path, "--width", "100"]);
  const ids = run.stdout
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(/ {2,}/)[1] as string);
  assert.equal(ids, ["0123456789abc1", "0123456789abc2"]);
  const sampleIds = dynlog(["traces", ...sample, "--width", "80"])
    .stdout.trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(/ {2,}/)[1] as string);
  assert.ok(sampleIds.every((id) => id.length === 8));
  assert.is(new Set(sampleIds).size, sampleIds.length);
  const wide = dynlog(["traces", ...sample, "--width", "60", "--wide"]);
  assert.match(wide.stdout, /7af4d48c761d7c014bc7452814d812fe/);
  assert.match(wide.stdout, /666eab89-48dd-4a43-9a9c-1468c6724682/);
  assert.ok(wide.stdout.split("\n").some((l) => displayWidth(l) > 150));
});

test("traces is a list grep and awk read: heading first, no boxes, two-space columns, no empty cells", () => {
  const run = dynlog(["traces", ...sample, "--width", "200"]);
  assert.is(run.status, 0, run.stderr);
  const lines = run.stdout.trimEnd().split("\n");
  assert.is(lines.length, 26, "a heading and 25 traces");
  assert.match(
    lines[0] ?? "",
    /^START +TRACE +REQUEST +DURATION +SPANS +WARN +ERR +FLAGS +SERVICES +ROOT$/,
  );
  assert.not.match(run.stdout, /[│┌└├─]/);
  const heads = (lines[0] as string).split(/ {2,}/).length;
  for (const line of lines.slice(1)) {
    const cells = line.trim().split(/ {2,}/);
    assert.is(cells.length, heads, line);
    assert.ok(
      cells.every((c) => c !== ""),
      line,
    );
    assert.not.match(line, / $/);
  }
  // Every column but the last has no space inside: awk's default fields work up to it.
  const fields = (lines[1] as string).trim().split(/\s+/);
  assert.match(fields[3] ?? "", /^[0-9.]+(µs|ms|s)$/, "DURATION is $4");
  assert.is(run.stderr, "", "nothing on stderr when nothing was cut");
  // Requests without an x_request_id show '-'.
  const requests = lines.slice(1).map((l) => l.trim().split(/ {2,}/)[2]);
  assert.is(requests.filter((r) => r === "-").length, 4);
});

test("traces --wide: awk's whitespace fields are the ten columns ($7 ERR), whole ids", () => {
  const rows = dynlog(["traces", "--wide", "--width", "60", ...sample])
    .stdout.trimEnd()
    .split("\n")
    .map((l) => l.split(/\s+/));
  assert.equal(rows[0]?.slice(0, 9), [
    "START",
    "TRACE",
    "REQUEST",
    "DURATION",
    "SPANS",
    "WARN",
    "ERR",
    "FLAGS",
    "SERVICES",
  ]);
  const withErrors = rows.slice(1).filter((f) => Number(f[6]) > 0);
  assert.equal(
    withErrors.map((f) => f[1]),
    ["b8359cecb93ee3314f1b2074a5c57ce2"],
  );
});

test("traces --limit: the rows on stdout, 'N of M traces shown' on stderr", () => {
  const run = dynlog(["traces", ...sample, "--limit", "3", "--sort", "duration"]);
  assert.is(run.status, 0, run.stderr);
  assert.is(run.stdout.trimEnd().split("\n").length, 4);
  assert.match(run.stderr, /3 of 25 traces shown \(--limit\)/);
  const all = dynlog(["traces", ...sample, "--limit", "30"]);
  assert.is(all.stderr, "");
});

const SGR = /\x1b\[[0-9;]*m/;

test("--color always colours every command; never and NO_COLOR give none", () => {
  const runs: [string, string[]][] = [
    ["convert", ["convert", ...sample]],
    ["tail", ["tail", "--no-follow", ...sample]],
    ["trace", ["trace", "b8359cec", ...sample]],
    ["traces", ["traces", ...sample]],
    ["stats", ["stats", ...sample]],
    ["validate", ["validate", ...sample]],
  ];
  for (const [name, args] of runs) {
    const always = dynlog([...args, "--color", "always"]);
    assert.match(always.stdout, SGR, name);
    assert.not.match(dynlog([...args, "--color", "never"]).stdout, SGR, name);
    const auto = dynlog(args, { env: { NO_COLOR: "1", FORCE_COLOR: "" } });
    assert.not.match(auto.stdout, SGR, name);
  }
  // What is coloured: error counts red, warnings yellow.
  const traces = dynlog(["traces", ...sample, "--color", "always", "--width", "200"]).stdout;
  const errorRow = traces.split("\n").find((l) => l.includes("b8359cec")) ?? "";
  assert.match(errorRow, /\x1b\[31m\x1b\[1m1\x1b\[22m\x1b\[39m/, "the error count in bold red");
  const validate = dynlog(["validate", ...sample, "--color", "always"]).stdout;
  assert.match(validate, /\x1b\[33m3 warnings\x1b\[39m/);
  assert.match(validate, /: \x1b\[33mwarning\x1b\[39m: /);
});

/** A `docker compose logs` capture: launcher labels appear only as lines arrive. */
const COMPOSE = [
  "prefill-1  | 2025-11-04T09:12:04.305599Z  INFO worker: ready",
  "frontend-1  | 2025-11-04T09:12:04.405599Z  INFO dynamo_llm::http: request method=POST uri=/v1/chat/completions version=HTTP/1.1 status=200",
  "decode-12  | 2025-11-04T09:12:04.505599Z  INFO worker: step",
  "prefill-1  | Traceback (most recent call last):",
  "frontend-1  | 2025-11-04T09:12:04.605599Z  WARN dynamo_llm::http: slow method=GET uri=/health version=HTTP/2",
].join("\n");

function composeFile(): string {
  const dir = scratchDir("compose");
  const path = join(dir, "up.log");
  writeFileSync(path, `${COMPOSE}\n`);
  return path;
}

test("tail's source column is aligned, launcher labels included", () => {
  const run = dynlog(["tail", "--no-follow", "-n", "100", composeFile()]);
  assert.is(run.status, 0, run.stderr);
  const lines = run.stdout.trimEnd().split("\n");
  assert.is(lines.length, 5);
  const bars = lines.map((l) => displayWidth(l.slice(0, l.indexOf("│"))));
  assert.ok(
    bars.every((b) => b === bars[0]),
    bars.join(","),
  );
  assert.match(lines[0] ?? "", /^prefill-1 +│ 2025/);
  assert.match(lines[1] ?? "", /^frontend-1 +│ 2025/);
});

test("--hide drops fields (repeatable, * globs) from convert's text and tail, not from JSONL", () => {
  const path = composeFile();
  const convert = dynlog(["convert", "--hide", "method", "--hide", "ver*", path]);
  assert.is(convert.status, 0, convert.stderr);
  assert.not.match(convert.stdout, /method=|version=/);
  assert.match(convert.stdout, /request uri=\/v1\/chat\/completions status=200\n/);
  const tail = dynlog(["tail", "--no-follow", "--hide", "*i", path]);
  assert.not.match(tail.stdout, /uri=/);
  assert.match(tail.stdout, /method=POST version=HTTP\/1.1 status=200/);
  const json = dynlog(["convert", "--to", "jsonl", "--hide", "method", ...doc]);
  assert.match(json.stdout, /"method":"POST"/);
  const jsonl = dynlog(["convert", "--hide", "method", "--hide", "uri", ...doc]);
  assert.not.match(jsonl.stdout, / method=| uri=/);
  assert.match(jsonl.stdout, / version=HTTP\/1.1/);
});

test("convert --source shows tail's source column; without it the output is Dynamo's bytes", () => {
  const plain = dynlog(["convert", ...doc]);
  assert.not.match(plain.stdout, /│/);
  const labelled = dynlog(["convert", "--source", ...doc]);
  const lines = labelled.stdout.trimEnd().split("\n");
  assert.is(lines.length, plain.stdout.trimEnd().split("\n").length);
  assert.ok(
    lines.every((l) => /^(frontend|prefill|decode) +│ /.test(l)),
    lines[0],
  );
  assert.equal(
    lines.map((l) => l.slice(l.indexOf("│ ") + 2)),
    plain.stdout.trimEnd().split("\n"),
  );
  const compose = dynlog(["convert", "--source", composeFile()]).stdout.trimEnd().split("\n");
  assert.match(compose[3] ?? "", /^prefill-1 +│ Traceback \(most recent call last\):$/);
  const bars = compose.map((l) => l.indexOf("│"));
  assert.ok(
    bars.every((b) => b === bars[0]),
    bars.join(","),
  );
});
test.run();
