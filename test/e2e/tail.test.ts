/** `dynlog tail` following files and pipes that other processes write, rotate and truncate. */
// test-runner: mostly waits
import { spawn } from "node:child_process";
import { appendFileSync, renameSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynlog, spawnDynlog } from "../helpers/cli.js";
import { killAll, sleep, startTail, whenFollowing } from "../helpers/live.js";
import { scratchDir } from "../helpers/paths.js";

const dir = scratchDir("tail");
test.after.each(killAll);
const path = (name: string) => join(dir, name);
const record = (source: string, i: number) =>
  `{"time":"2025-01-01T00:00:${String(i % 60).padStart(2, "0")}.000000Z","level":"INFO","target":"w","message":"${source} line ${i}"}\n`;

/** Messages shown for `source`, in display order. */
function shown(out: string, source: string): string[] {
  return [...out.matchAll(new RegExp(`${source} line (\\d+)`, "g"))].map((m) => m[1] as string);
}

/** Rotation (rename + create), copytruncate and deletion while tail follows, in one directory. */
async function rotationScenario(attempt: number): Promise<void> {
  const a = path(`a${attempt}.log`);
  const b = path(`b${attempt}.log`);
  writeFileSync(a, record("a", 0));
  const tail = startTail(["-n", "5", a, b]);
  await tail.waitFor((o) => shown(o, "a").length === 1);
  const next: Record<string, number> = { a: 1, b: 0 };
  const write = (file: string, source: string, n: number) => {
    for (let k = 0; k < n; k++) appendFileSync(file, record(source, (next[source] as number)++));
  };
  const settle = (source: string, count: number) =>
    tail.waitFor((o) => shown(o, source).length === count);
  write(a, "a", 20);
  write(b, "b", 5);
  await settle("a", 21);
  renameSync(a, `${a}.1`);
  write(`${a}.1`, "a", 1);
  write(a, "a", 10);
  await settle("a", 32);
  truncateSync(a, 0);
  write(a, "a", 3);
  await settle("a", 35);
  unlinkSync(a);
  await tail.waitFor(() => tail.errors().includes("deleted or moved away"));
  write(a, "a", 4);
  write(b, "b", 5);
  await settle("a", 39);
  await settle("b", 10);
  const status = await tail.stop("SIGTERM");
  assert.is(status, 0);
  const seenA = shown(tail.output(), "a");
  assert.equal(
    seenA,
    Array.from({ length: 39 }, (_, k) => String(k)),
    "a: each line once, in order",
  );
  assert.equal(
    shown(tail.output(), "b"),
    Array.from({ length: 10 }, (_, k) => String(k)),
  );
  // Each disappearance of the file is reported once, and each is followed by the name's return.
  const notices = tail
    .errors()
    .split("\n")
    .filter((l) => l.includes(`a${attempt}.log: `) && /deleted|appeared/.test(l));
  assert.ok(notices.length >= 2, tail.errors());
  for (const [k, n] of notices.entries()) {
    assert.is(n.includes("deleted") ? 0 : 1, k % 2, tail.errors());
  }
}

test("every written line once and in order, across rotation, truncation and deletion", async () => {
  await rotationScenario(1);
});

test("a child process's piped stderr, line by line, until it closes", async () => {
  const writer = spawn(process.execPath, [
    "-e",
    `let i = 0; const t = setInterval(() => { process.stderr.write(${JSON.stringify(record("p", 0))}.replace("line 0", "line " + i)); if (++i === 20) { clearInterval(t); process.stderr.write("Traceback (most recent call last):\\n  partial"); } }, 5);`,
  ]);
  const tail = spawnDynlog(["tail"]);
  writer.stderr.pipe(tail.stdin);
  let out = "";
  tail.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const status = await new Promise((resolve) => tail.on("exit", resolve));
  assert.is(status, 0);
  assert.equal(
    shown(out, "p"),
    Array.from({ length: 20 }, (_, k) => String(k)),
  );
  assert.match(
    out,
    /Traceback \(most recent call last\):\n {2}partial\n$/,
    "the last partial line at EOF",
  );
});

test("an appended line is displayed once written, with no later write to push it", async () => {
  const file = path("latency.log");
  writeFileSync(file, "");
  const tail = startTail(["-n", "0", file]);
  await whenFollowing(tail, [file]);
  appendFileSync(file, record("lat", 1));
  await tail.waitFor((o) => o.includes("lat line 1"));
  assert.is(await tail.stop(), 0);
});

test("hostile sequences arrive escaped; --raw lets them through", async () => {
  const hostile = [
    '{"level":"ERROR","target":"t","message":"clip \\u001b]52;c;cm0gLXJmIH4K\\u0007 link \\u001b]8;;http://evil\\u001b\\\\x\\u001b]8;;\\u001b\\\\"}',
    '{"level":"INFO","target":"t\\u001b[2J","message":"moves\\u001b[H\\u001b[2J title\\u001b]0;pwned\\u0007 cr\\rback\\bspace","k\\u001b[31m":"v\\u001b[0m"}',
    "raw \x1b]0;pwned\x07 and \x1b[2J and \rcarriage",
  ].join("\n");
  const file = path("hostile.log");
  writeFileSync(file, `${hostile}\n`);
  const safe = dynlog(["tail", "--no-follow", "--color", "never", file]);
  assert.is(safe.status, 0, safe.stderr);
  assert.not.match(safe.stdout, /[\x1b\x07\x08\r]/, "no control byte reaches the terminal");
  assert.match(safe.stdout, /\\x1b\]52;c;cm0gLXJmIH4K\\x07/);
  assert.match(safe.stdout, /\\x1b\]8;;http:\/\/evil/);
  assert.match(safe.stdout, /\\x1b\[2J/);
  assert.match(safe.stdout, /\\x1b\]0;pwned\\x07/);
  assert.match(safe.stdout, /cr\\rback\\x08space/);
  const coloured = dynlog(["tail", "--no-follow", "--color", "always", file]);
  assert.not.match(
    coloured.stdout.replace(/\x1b\[[0-9;]*m/g, ""),
    /[\x1b\x07\x08\r]/,
    "only our own colours",
  );
  const raw = dynlog(["tail", "--no-follow", "--raw", "--color", "never", file]);
  assert.match(raw.stdout, /\x1b\]0;pwned\x07/);
});

test("Ctrl-C ends cleanly with colours reset; a closed output pipe ends quietly", async () => {
  const file = path("quiet.log");
  writeFileSync(file, record("q", 1));
  const tail = startTail(["--color", "always", file]);
  await tail.waitFor((o) => o.includes("q line 1"));
  assert.is(await tail.stop("SIGINT"), 0);
  assert.ok(tail.output().endsWith("\x1b[0m"), "colours reset");
  assert.is(tail.errors(), "");
  const piped = spawnDynlog(["tail", file]);
  // Lines are appended once the reader has gone away, so writing them meets the closed pipe.
  const gone = new Promise<void>((resolve) =>
    piped.stdout.once("data", () => {
      piped.stdout.destroy();
      resolve();
    }),
  );
  let err = "";
  piped.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise((resolve) => piped.on("exit", resolve));
  await gone;
  // Write until tail finds its output gone and exits (a generous deadline, no fixed wait).
  const deadline = Date.now() + 30000;
  const pending = Symbol("running");
  let status: unknown = pending;
  for (let k = 0; status === pending && Date.now() < deadline; k++) {
    appendFileSync(file, record("q", k));
    status = await Promise.race([exited, sleep(50).then(() => pending)]);
  }
  assert.ok(Date.now() < deadline, "tail noticed its closed output");
  assert.is(status, 0);
  assert.is(err, "");
});

test("--no-follow -n, several sources with a label column, --filter live", () => {
  const x = path("x.log");
  const y = path("y.log");
  writeFileSync(x, [1, 2, 3, 4].map((i) => record("x", i)).join(""));
  writeFileSync(y, `${record("y", 2).replace("INFO", "WARN")}Traceback (most recent call last):\n`);
  const run = dynlog(["tail", "--no-follow", "-n", "2", x, y]);
  assert.equal(run.stdout.split("\n"), [
    "y            │ 2025-01-01T00:00:02.000000Z  WARN w: y line 2",
    "y            │ Traceback (most recent call last):",
    "x            │ 2025-01-01T00:00:03.000000Z  INFO w: x line 3",
    "x            │ 2025-01-01T00:00:04.000000Z  INFO w: x line 4",
    "",
  ]);
  const warn = dynlog(["tail", "--no-follow", "--filter", "warn", x, y]);
  assert.equal(warn.stdout.split("\n").length, 3);
  assert.is(dynlog(["tail", "--no-follow", "-n", "-1", x]).status, 2);
});

test("--traces: a summary line when a root span closes", async () => {
  const fe = path("frontend.log");
  const de = path("decode.log");
  writeFileSync(fe, "");
  writeFileSync(de, "");
  const tail = startTail(["--traces", "-n", "0", fe, de]);
  await whenFollowing(tail, [fe, de]);
  const span = (file: string, t: string, msg: string, id: string, parent: string, extra = "") =>
    appendFileSync(
      file,
      `{"time":"2025-10-31T13:52:${t}Z","level":"INFO","target":"t","message":"${msg}",${parent ? `"parent_id":"${parent}",` : ""}"span_id":"${id}","span_name":"s","trace_id":"b672ccf48683b392891c5cb4163d4b51","x_request_id":"req-1"${extra}}\n`,
    );
  span(
    fe,
    "10.706000",
    "SPAN_CREATED",
    "5c20cc08e6afb2b7",
    "",
    ',"method":"POST","uri":"/v1/chat/completions"',
  );
  span(de, "10.745000", "SPAN_FIRST_ENTRY", "bbbbbbbbbbbbbbbb", "5c20cc08e6afb2b7");
  span(
    de,
    "14.744328",
    "SPAN_CLOSED",
    "bbbbbbbbbbbbbbbb",
    "5c20cc08e6afb2b7",
    ',"time.busy_us":3795,"time.duration_us":3999328,"time.idle_us":3995533',
  );
  span(
    fe,
    "14.746202",
    "SPAN_CLOSED",
    "5c20cc08e6afb2b7",
    "",
    ',"method":"POST","uri":"/v1/chat/completions","time.busy_us":18101,"time.duration_us":4040202,"time.idle_us":4022101',
  );
  await tail.waitFor((o) => o.includes("── trace"));
  assert.match(
    tail.output(),
    /── trace b672ccf48683 · req-1 · POST \/v1\/chat\/completions · frontend 4\.04s · decode 4\.00s/,
  );
  assert.is(await tail.stop(), 0);
});

test.run();
