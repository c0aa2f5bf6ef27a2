/**
 * Every command over every bad input (fixtures/bad/ and the big cases test/helpers/bad-inputs.ts
 * makes): each run is time-boxed and must end by itself with status 0, 1 or 2, without a stack
 * trace; views and diagnostics must carry no raw control characters; terminal output only
 * dynlog's own colours; and `convert` must keep every input line. `tail --no-follow` joins in
 * when the built CLI has a tail command.
 *
 * The small fixtures are data problems, not process problems: each fixture's commands run in
 * one child process (runDynlogBatch: the CLI's `main`, in-process, one start-up instead of one
 * per command), fixtures two at a time. The big inputs, where memory, threads, FIFOs and the
 * time box of a real process matter, run each command as its own `bin/dynlog` process.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type BigInput, makeBigInputs, makeFifo } from "../helpers/bad-inputs.js";
import { hasCommand } from "../helpers/cli.js";
import {
  jsonlCountProblems,
  keptLineProblems,
  runProblems,
  terminalProblems,
  viewProblems,
} from "../helpers/output-checks.js";
import { FIXTURES } from "../helpers/paths.js";
import { pool, runDynlog, runDynlogBatch, type SpawnResult } from "../helpers/spawn-run.js";

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
const run = pool(3);
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

async function runAll(input: Input, list: Command[], timeoutMs: number): Promise<string[]> {
  const results = await Promise.all(
    list.map((c) =>
      run(async () => {
        const fifo = input.fifoSource
          ? { path: makeFifo(input.path, fifos++), source: input.fifoSource }
          : undefined;
        const args = c.args(fifo ? { ...input, path: fifo.path } : input);
        const r = await runDynlog(args, { timeoutMs, ...(fifo ? { fifo } : {}) });
        if (fifo) rmSync(fifo.path, { force: true });
        return [...runProblems(r), ...c.check(r, input)].map((p) => `${c.label}: ${p}`);
      }),
    ),
  );
  return results.flat();
}

/** All of one input's commands in one child process, time-boxed at 20 s a command. */
async function runBatch(input: Input, list: Command[]): Promise<string[]> {
  const results = await runDynlogBatch(
    list.map((c) => c.args(input)),
    { timeoutMs: 20_000 * list.length },
  );
  return list.flatMap((c, k) => {
    const r = results[k] as SpawnResult;
    return [...runProblems(r), ...c.check(r, input)].map((p) => `${c.label}: ${p}`);
  });
}

let list: Command[] = [];
const small = corpus();
const batches = pool(2);
let pending: Map<Input, Promise<string[]>> | null = null;
test.before(() => {
  list = commands();
});

/** Starts every small fixture's batch on first use, so they overlap two at a time. */
function problemsOf(input: Input): Promise<string[]> {
  pending ??= new Map(small.map((i) => [i, batches(() => runBatch(i, list))]));
  return pending.get(input) as Promise<string[]>;
}

for (const input of small) {
  test(`bad input ${input.name}: every command copes`, async () => {
    const problems = await problemsOf(input);
    assert.equal(problems, [], problems.join("\n"));
  });
}

test("big inputs: every command copes, within its time box", async () => {
  const sample = `${FIXTURES}sample/frontend.jsonl`;
  const big: BigInput[] = makeBigInputs(join(dir, "big"), sample);
  const problems: string[] = [];
  for (const b of big) {
    const directory = b.name.startsWith("a directory");
    const content = b.fifoSource
      ? readFileSync(b.fifoSource)
      : directory
        ? null
        : readFileSync(b.path);
    const input: Input = { ...b, content };
    for (const p of await runAll(input, list, 120_000)) problems.push(`${b.name}: ${p}`);
  }
  rmSync(dir, { recursive: true, force: true });
  assert.equal(problems, [], problems.join("\n"));
});

test.run();
