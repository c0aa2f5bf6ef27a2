/**
 * Every command over every bad input (fixtures/bad/ and the big cases test/helpers/bad-inputs.ts
 * makes): each run is time-boxed and must end by itself with status 0, 1 or 2, without a stack
 * trace; views and diagnostics must carry no raw control characters; terminal output only
 * dynlog's own colours; and `convert` must keep every input line. `tail --no-follow` joins in
 * when the built CLI has a tail command.
 *
 * Commands run in-process (dynlog() in helpers/cli.ts: the CLI's `main` on a worker thread,
 * time-boxed: a command past its box is stopped and reported), one after the other; the FIFO, where
 * the pipe between two processes is what is tested, runs `bin/dynlog` as its own process.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type BigInput, makeBigInputs, makeFifo } from "../helpers/bad-inputs.js";
import { dynlog, hasCommand } from "../helpers/cli.js";
import {
  jsonlCountProblems,
  keptLineProblems,
  runProblems,
  terminalProblems,
  viewProblems,
} from "../helpers/output-checks.js";
import { FIXTURES } from "../helpers/paths.js";
import { runDynlog, type SpawnResult } from "../helpers/spawn-run.js";

interface Input {
  name: string;
  path: string;
  traceId: string;
  /** The bytes dynlog reads, when the line checks apply (not gzip, not a directory). */
  content: Buffer | null;
  fifoSource?: string;
  /** Lines that must come out of `convert` unchanged besides the plain ones. */
  verbatim?: number[];
}

interface Command {
  label: string;
  args(input: Input): string[];
  check(run: SpawnResult, input: Input): string[];
}

const BAD = `${FIXTURES}bad/`;
const dir = mkdtempSync(join(tmpdir(), "dynlog-bad-"));
let fifos = 0;

function firstTraceId(content: Buffer): string {
  return /"trace_id":"([0-9a-f]{8})/.exec(content.toString("latin1"))?.[1] ?? "deadbeefcafe";
}

function corpus(): Input[] {
  return readdirSync(BAD)
    .filter((name) => name !== "README.md")
    .sort()
    .map((name) => {
      const content = readFileSync(BAD + name);
      const gzip = content[0] === 0x1f && content[1] === 0x8b;
      return {
        name,
        path: BAD + name,
        traceId: firstTraceId(content),
        content: gzip ? null : content,
      };
    });
}

const view = (r: SpawnResult) => viewProblems(r);

function commands(): Command[] {
  const list: Command[] = [
    {
      label: "convert",
      args: (i) => ["convert", i.path],
      check: (r, i) => (i.content ? keptLineProblems(i.content, r.stdout, i.verbatim) : []),
    },
    {
      label: "convert --color always",
      args: (i) => ["convert", "--color", "always", i.path],
      check: terminalProblems,
    },
    {
      label: "convert --to jsonl",
      args: (i) => ["convert", "--to", "jsonl", i.path],
      // Every line comes out as a JSON object (lines that are not records as raw-line objects).
      check: (r, i) => (i.content ? jsonlCountProblems(i.content, r.stdout) : []),
    },
    {
      label: "trace",
      args: (i) => ["trace", i.traceId, i.path, "--logs", "--details"],
      check: view,
    },
    {
      label: "trace --format json",
      args: (i) => ["trace", i.traceId, i.path, "--format", "json"],
      check: view,
    },
    { label: "traces", args: (i) => ["traces", i.path], check: view },
    { label: "stats", args: (i) => ["stats", i.path], check: view },
  ];
  if (hasCommand("validate")) {
    list.push({ label: "validate", args: (i) => ["validate", "--strict", i.path], check: view });
  }
  if (hasCommand("tail")) {
    list.push({
      label: "tail --no-follow",
      args: (i) => ["tail", "--no-follow", i.path],
      check: () => [],
    });
  }
  return list;
}

function problemsOf(c: Command, r: SpawnResult, input: Input): string[] {
  return [...runProblems(r), ...c.check(r, input)].map((p) => `${c.label}: ${p}`);
}

/** Every command over one input, in-process, each within `timeoutMs`. */
function runInProcess(input: Input, list: Command[], timeoutMs: number): string[] {
  return list.flatMap((c) => {
    const started = Date.now();
    const r = dynlog(c.args(input), { timeoutMs });
    const result: SpawnResult = {
      status: r.status,
      signal: null,
      timedOut: r.status === null,
      stdout: r.stdoutBytes,
      stderr: r.stderr,
      ms: Date.now() - started,
    };
    return problemsOf(c, result, input);
  });
}

/** Every command over a FIFO, each as its own process reading a FIFO of its own. */
async function runThroughFifo(input: Input, list: Command[], timeoutMs: number) {
  const problems: string[] = [];
  for (const c of list) {
    const fifo = { path: makeFifo(input.path, fifos++), source: input.fifoSource as string };
    const r = await runDynlog(c.args({ ...input, path: fifo.path }), { timeoutMs, fifo });
    rmSync(fifo.path, { force: true });
    problems.push(...problemsOf(c, r, input));
  }
  return problems;
}

let list: Command[] = [];
const small = corpus();
test.before(() => {
  list = commands();
});

for (const input of small) {
  test(`bad input ${input.name}: every command copes`, () => {
    const problems = runInProcess(input, list, 20_000);
    assert.equal(problems, [], problems.join("\n"));
  });
}

test("big inputs: every command copes, within its time box", async () => {
  const sample = `${FIXTURES}sample/frontend.jsonl`;
  const big: BigInput[] = makeBigInputs(join(dir, "big"), sample);
  // Colour is about what a line holds (the small fixtures carry the hostile content), not its size.
  const bigList = list.filter((c) => c.label !== "convert --color always");
  const problems: string[] = [];
  for (const b of big) {
    const directory = b.name.startsWith("a directory");
    const content = b.fifoSource
      ? readFileSync(b.fifoSource)
      : directory
        ? null
        : readFileSync(b.path);
    const input: Input = { ...b, content };
    const found = input.fifoSource
      ? await runThroughFifo(input, bigList, 60_000)
      : runInProcess(input, bigList, 60_000);
    for (const p of found) problems.push(`${b.name}: ${p}`);
  }
  rmSync(dir, { recursive: true, force: true });
  assert.equal(problems, [], problems.join("\n"));
});

test.run();
