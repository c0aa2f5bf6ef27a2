/**
 * The examples in the README, docs/*.md and the man page are run and checked against real output:
 *
 * - a ```console block is one or more `$ dynlog …` lines, each followed by what it prints
 *   (standard error, then standard output); the output must match byte for byte;
 * - every `dynlog …` line of a ```sh block and of the man page's EXAMPLES must run with status 0.
 *
 * Examples run from a fixture directory (CWD below), so that `frontend.jsonl` or `*.jsonl` are the
 * bundled sample logs; names no fixture has are mapped by INPUTS. Each runs in this process, one
 * after the other (the CLI's `main` with in-memory streams, helpers/in-memory-main.ts), in its
 * directory. A command fed by a pipe reads a sample log instead of the producer; after dynlog,
 * `head -n N` is applied, `jq` asks for JSON and anything else (`less -R`) is ignored; `> file` is
 * dropped (the output is checked as if shown). `tail` of files gets `--no-follow` (it would
 * follow for ever). `export --push` sends to a loopback OTLP receiver standing in for the collector. When
 * an intended change alters an example's output, refresh the docs with
 * `npm run update-docs` and review the diff; `npm run check-docs` runs this file alone.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynlog } from "../helpers/cli.js";
import { runHere } from "../helpers/in-memory-main.js";
import { OtlpReceiver } from "../helpers/otlp-receiver.js";
import { FIXTURES, ROOT, scratchDir } from "../helpers/paths.js";

const SAMPLE = `${FIXTURES}sample/`;
const DOC_EXAMPLE = `${FIXTURES}doc-example/created/`;

/** Where an example runs: the first pattern its command matches picks the directory. */
const CWD: [RegExp, string][] = [
  // The request of Dynamo's logging documentation (trace b672ccf4…, request 8372eac7-…).
  [/b672ccf4|8372eac7/, DOC_EXAMPLE],
  // Paths written from the repository root.
  [/fixtures\//, ROOT],
  [/.*/, SAMPLE],
];

const scratch = scratchDir("docs");

/** Inputs the docs name that no fixture directory has, and what stands in for them. */
function inputs(): Record<string, string> {
  const gz = join(scratch, "decode.jsonl.gz");
  writeFileSync(gz, gzipSync(readFileSync(`${SAMPLE}decode.jsonl`)));
  // A worker's readable log (Dynamo without DYN_LOGGING_JSONL): the sample decode log as text.
  const readable = join(scratch, "worker.log");
  writeFileSync(readable, dynlog(["convert", `${SAMPLE}decode.jsonl`]).stdoutBytes);
  const empty = join(scratch, "app.jsonl");
  writeFileSync(empty, "");
  return {
    "decode.jsonl.gz": gz,
    "worker.log": readable,
    // The filter-warning example shows only the warning: an empty log.
    "app.jsonl": empty,
    // A component's log with tracebacks and prints mixed in.
    "app.log": `${SAMPLE}mixed.log`,
    "big.jsonl": `${SAMPLE}frontend.jsonl`,
    "frontend.log": `${SAMPLE}frontend.jsonl`,
    "prefill.log": `${SAMPLE}prefill.jsonl`,
    "decode.log": `${SAMPLE}decode.jsonl`,
  };
}

/** What a producer in front of `| dynlog` is replaced by. */
const PIPED_INPUT = `${SAMPLE}frontend.jsonl`;

/**
 * Examples known to disagree with the tool today, with why. Each must still fail (so the entry is
 * removed when the tool is fixed); nothing else may.
 */
const KNOWN_BROKEN: Record<string, string> = {};

interface Example {
  where: string;
  kind: "console" | "command";
  command: string;
  expected: string;
  /** For console examples: the file and the 0-based line range of the expected output. */
  file?: string;
  from?: number;
  to?: number;
}

function markdownExamples(file: string): Example[] {
  const lines = readFileSync(file, "utf8").split("\n");
  const name = file.slice(ROOT.length);
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\w+)\s*$/.exec(lines[i] as string);
    if (fence === null) continue;
    let end = i + 1;
    while (end < lines.length && lines[end] !== "```") end++;
    const body = lines.slice(i + 1, end);
    if (fence[1] === "console" && body[0]?.startsWith("$ dynlog ")) {
      for (let k = 0; k < body.length; k++) {
        const line = body[k] as string;
        if (!line.startsWith("$ ")) continue;
        let stop = k + 1;
        while (stop < body.length && !(body[stop] as string).startsWith("$ ")) stop++;
        const expected = body.slice(k + 1, stop);
        out.push({
          where: `${name}:${i + 2 + k}`,
          kind: "console",
          command: line.slice(2),
          expected: expected.length === 0 ? "" : `${expected.join("\n")}\n`,
          file,
          from: i + 2 + k,
          to: i + 1 + stop,
        });
        k = stop - 1;
      }
    } else if (fence[1] === "sh") {
      for (const [k, line] of body.entries()) {
        if (/(^|\|\s*)dynlog /.test(line)) {
          out.push({ where: `${name}:${i + 2 + k}`, kind: "command", command: line, expected: "" });
        }
      }
    }
    i = end;
  }
  return out;
}

function manExamples(): Example[] {
  const lines = readFileSync(`${ROOT}man/dynlog.1`, "utf8").split("\n");
  const section = lines.indexOf(".SH EXAMPLES");
  assert.ok(section > 0, "the man page has an EXAMPLES section");
  const out: Example[] = [];
  for (let i = section + 1; i < lines.length && !lines[i]?.startsWith(".SH"); i++) {
    const line = (lines[i] as string).replace(/\\-/g, "-");
    if (/(^|\|\s*)dynlog /.test(line)) {
      out.push({ where: `man/dynlog.1:${i + 1}`, kind: "command", command: line, expected: "" });
    }
  }
  return out;
}

/** Splits a shell line into pipeline stages of words (quotes removed, `# …` dropped). */
export function shellWords(line: string): string[][] {
  const stages: string[][] = [[]];
  let word: string | null = null;
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    const stage = stages[stages.length - 1] as string[];
    if (quote !== "") {
      if (c === quote) quote = "";
      else word = (word ?? "") + c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word = word ?? "";
    } else if (c === " " || c === "\t" || c === "|" || c === "#") {
      if (word !== null) stage.push(word);
      word = null;
      if (c === "|") stages.push([]);
      if (c === "#" && (i === 0 || line[i - 1] === " ")) break;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== null) (stages[stages.length - 1] as string[]).push(word);
  return stages.filter((s) => s.length > 0);
}

function expand(word: string, cwd: string, table: Record<string, string>): string[] {
  const mapped = table[word];
  if (mapped !== undefined && !existsSync(join(cwd, word))) return [mapped];
  const star = word.lastIndexOf("*");
  if (star < 0) return [word];
  const slash = word.lastIndexOf("/");
  const dir = slash < 0 ? "" : word.slice(0, slash + 1);
  const pattern = new RegExp(
    `^${word
      .slice(slash + 1)
      .replace(/[.+?^${}()[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")}$`,
  );
  const names = readdirSync(join(cwd, dir))
    .filter((n) => pattern.test(n))
    .sort();
  return names.length === 0 ? [word] : names.map((n) => dir + n);
}

/**
 * Files an example writes (`-o FILE`, the report's default file) go to the scratch directory,
 * never into the fixtures (`-o -`, standard output, stays).
 */
function keepOutputsOut(args: string[]): void {
  const at = args.findIndex((a) => a === "-o" || a === "--output");
  if (at >= 0 && args[at + 1] !== undefined && args[at + 1] !== "-") {
    args[at + 1] = join(scratch, `out-${outputs++}-${args[at + 1]?.replace(/.*\//, "")}`);
  } else if (at < 0 && args[0] === "report") {
    args.push("-o", join(scratch, `out-${outputs++}-dynlog-report.html`));
  }
}
let outputs = 0;

interface Outcome {
  status: number | null;
  output: string;
  stderr: string;
  problems: string[];
}

/** Runs an example's dynlog command as the docs show it (see the header for the rules). */
async function run(example: Example, table: Record<string, string>): Promise<Outcome> {
  const stages = shellWords(example.command);
  const at = stages.findIndex((s) => s[0] === "dynlog");
  const cwd = (CWD.find(([pattern]) => pattern.test(example.command)) as [RegExp, string])[1];
  // `2>&1` is dropped; `> file` too (what would go to the file is checked like standard output).
  const shown = (stages[at] as string[]).slice(1).filter((w) => !/^\d?>&\d$/.test(w));
  const redirect = shown.indexOf(">");
  const words = redirect < 0 ? shown : shown.slice(0, redirect);
  const args = words.flatMap((w) => expand(w, cwd, table));
  keepOutputsOut(args);
  const piped = at > 0;
  if (args[0] === "tail" && !piped && !args.includes("--no-follow")) args.push("--no-follow");
  // No terminal width from the environment: views use their documented default; a push goes
  // to a loopback receiver that accepts everything, standing in for the collector.
  const result = await runHere(args, {
    timeoutMs: 60000,
    env: { COLUMNS: undefined, OTEL_EXPORTER_OTLP_ENDPOINT: collector?.url },
    input: piped ? readFileSync(PIPED_INPUT) : undefined,
    cwd,
  });
  let stdout = result.stdout.toString("utf8");
  const stderr = result.stderr;
  const problems: string[] = [];
  for (const stage of stages.slice(at + 1)) {
    if (stage[0] === "head") {
      const n = Number((stage[1] === "-n" ? stage[2] : stage[1]?.slice(1)) ?? 10);
      stdout = stdout
        .split("\n")
        .slice(0, stdout.endsWith("\n") ? -1 : undefined)
        .slice(0, n)
        .map((l) => `${l}\n`)
        .join("");
    } else if (stage[0] === "jq") {
      const whole = stdout.trim();
      const parses = (text: string) => {
        try {
          JSON.parse(text);
          return true;
        } catch {
          return false;
        }
      };
      if (!parses(whole)) {
        const bad = whole.split("\n").filter((l) => !parses(l));
        if (bad.length > 0)
          problems.push(`jq could not read ${bad.length} line(s), e.g. ${bad[0]}`);
      }
    }
  }
  if (result.status !== 0) problems.push(`exit status ${result.status}`);
  return { status: result.status, output: stderr + stdout, stderr, problems };
}

const examples = [
  ...markdownExamples(`${ROOT}README.md`),
  ...readdirSync(`${ROOT}docs`)
    .filter((n) => n.endsWith(".md"))
    .sort()
    .flatMap((n) => markdownExamples(`${ROOT}docs/${n}`)),
  ...manExamples(),
];
const update = process.env.UPDATE_DOCS === "1";
/** Console outputs to write back with UPDATE_DOCS=1: file -> [from, to, new lines]. */
const rewrites = new Map<string, [number, number, string[]][]>();
const outcomes = new Map<Example, Outcome>();

let collector: OtlpReceiver | null = null;

test.before(async () => {
  collector = await OtlpReceiver.start();
  const table = inputs();
  // One after the other: each runs in this process, in its own working directory.
  for (const e of examples) outcomes.set(e, await run(e, table));
  await collector.stop();
});

test("the docs have examples of every kind to check", () => {
  const kinds = new Set(examples.map((e) => `${e.where.split(":")[0]} ${e.kind}`));
  for (const k of ["README.md console", "README.md command", "man/dynlog.1 command"]) {
    assert.ok(kinds.has(k), `${k} examples found`);
  }
});

test("the shell-line reader splits pipelines and keeps quoted words whole", () => {
  assert.equal(shellWords(`a 'b c' "d|e" | f -n 2 # note`), [
    ["a", "b c", "d|e"],
    ["f", "-n", "2"],
  ]);
  assert.equal(shellWords("x 2>&1 | dynlog tail"), [
    ["x", "2>&1"],
    ["dynlog", "tail"],
  ]);
});

for (const example of examples) {
  test(`${example.where}: ${example.command}`, () => {
    const outcome = outcomes.get(example) as Outcome;
    const broken = KNOWN_BROKEN[example.command];
    const problems = [...outcome.problems];
    if (example.kind === "console" && outcome.output !== example.expected) {
      if (update && example.file !== undefined) {
        const list = rewrites.get(example.file) ?? [];
        list.push([example.from as number, example.to as number, outcome.output.split("\n")]);
        rewrites.set(example.file, list);
      } else if (broken === undefined) {
        assert.fixture(
          outcome.output,
          example.expected,
          `${example.where}: the documented output of '${example.command}' differs from what it prints (fix the doc or the tool; npm run update-docs rewrites console examples)`,
        );
      }
      problems.push("output differs from the documented output");
    }
    if (broken !== undefined) {
      assert.ok(
        problems.length > 0,
        `${example.where} works now: remove it from KNOWN_BROKEN ("${broken}")`,
      );
      return;
    }
    assert.equal(problems, [], `${example.where}: ${example.command}\n${outcome.stderr}`);
  });
}

test.after(() => {
  for (const [file, list] of rewrites) {
    const lines = readFileSync(file, "utf8").split("\n");
    for (const [from, to, got] of list.sort((a, b) => b[0] - a[0])) {
      if (got[got.length - 1] === "") got.pop();
      lines.splice(from, to - from, ...got);
    }
    writeFileSync(file, lines.join("\n"));
    process.stdout.write(`\nrewrote ${list.length} example(s) in ${file.slice(ROOT.length)}\n`);
  }
});

test.run();
