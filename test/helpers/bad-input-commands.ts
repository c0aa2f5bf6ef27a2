/**
 * What the bad-input suites run over each input (test/e2e/bad-input*.test.ts): every command, each
 * time-boxed, must end by itself with status 0, 1 or 2 without a stack trace; views and
 * diagnostics carry no raw control characters; terminal output only dynlog's own colours;
 * `convert` keeps every input line. Commands run in-process (dynlog() in cli.ts: the CLI's `main`
 * on a worker thread; a command past its box is stopped and reported), one after the other; a
 * FIFO is written by a process of its own.
 */
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import type { Test } from "uvu";
import * as assert from "uvu/assert";
import { type BigInput, makeFifo } from "./bad-inputs.js";
import { dynlog } from "./cli.js";
import {
  jsonlCountProblems,
  keptLineProblems,
  runProblems,
  terminalProblems,
  viewProblems,
} from "./output-checks.js";
import type { SpawnResult } from "./spawn-run.js";

export interface Input {
  name: string;
  path: string;
  traceId: string;
  /** The bytes dynlog reads, when the line checks apply (not gzip, not a directory). */
  content: Buffer | null;
  fifoSource?: string;
  /** Lines that must come out of `convert` unchanged besides the plain ones. */
  verbatim?: number[];
}

export interface Command {
  label: string;
  args(input: Input): string[];
  check(run: SpawnResult, input: Input): string[];
}

let fifos = 0;

const view = (r: SpawnResult) => viewProblems(r);

/** Every command, with what its output must satisfy beside a clean run. */
export const COMMANDS: readonly Command[] = [
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
  { label: "validate", args: (i) => ["validate", "--strict", i.path], check: view },
  { label: "tail --no-follow", args: (i) => ["tail", "--no-follow", i.path], check: () => [] },
];

function problemsOf(c: Command, r: SpawnResult, input: Input): string[] {
  return [...runProblems(r), ...c.check(r, input)].map((p) => `${c.label}: ${p}`);
}

/** Every command over one input, in-process, each within `timeoutMs`. */
export function runInProcess(input: Input, list: readonly Command[], timeoutMs: number): string[] {
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

/**
 * Every command over a FIFO, each reading a FIFO of its own that a `cat` process writes (started
 * before the command, which runs in-process; killed after it).
 */
export function runThroughFifo(
  input: Input,
  list: readonly Command[],
  timeoutMs: number,
): string[] {
  return list.flatMap((c) => {
    const path = makeFifo(input.path, fifos++);
    const writer = spawn("sh", ["-c", 'cat "$1" > "$2"', "sh", input.fifoSource as string, path], {
      stdio: "ignore",
    });
    try {
      return runInProcess({ ...input, path }, [c], timeoutMs);
    } finally {
      writer.kill("SIGKILL");
      rmSync(path, { force: true });
    }
  });
}

/**
 * Registers one test per big input on `suite`: every command (or the input's `only` ones) over
 * it, each within a minute; colour is left out (it is about what a line holds, and the small
 * fixtures carry the hostile content, not its size).
 */
export function bigInputTests(suite: Test, inputs: readonly BigInput[]): void {
  const everyCommand = COMMANDS.filter((c) => c.label !== "convert --color always");
  for (const b of inputs) {
    const commands = everyCommand.filter((c) => b.only?.includes(c.label) ?? true);
    const which = b.only === undefined ? "every command copes" : `${b.only.join(", ")} cope`;
    suite(`big input ${b.name}: ${which}, within its time box`, () => {
      const directory = b.name.startsWith("a directory");
      const content = b.fifoSource
        ? readFileSync(b.fifoSource)
        : directory
          ? null
          : readFileSync(b.path);
      const input: Input = { ...b, content };
      const problems = input.fifoSource
        ? runThroughFifo(input, commands, 60_000)
        : runInProcess(input, commands, 60_000);
      assert.equal(problems, [], problems.join("\n"));
    });
  }
}

/**
 * The commands that build spans; to `convert` these are plain lines, which the inputs about lines
 * cover (bad-input-big.test.ts).
 */
const SPAN_COMMANDS = [
  "trace",
  "trace --format json",
  "traces",
  "stats",
  "validate",
  "tail --no-follow",
];

/** `bigInputTests` over inputs about spans, with the commands that build spans. */
export function spanInputTests(suite: Test, inputs: readonly BigInput[]): void {
  bigInputTests(
    suite,
    inputs.map((input) => ({ ...input, only: SPAN_COMMANDS })),
  );
}
