/** `dynlog convert` driven as a user drives it: the built CLI on files, pipes and gzip. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynlog, spawnDynlog } from "../helpers/cli.js";
import { scratchDir } from "../helpers/paths.js";

const dir = scratchDir("convert");

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const FE = [
  '{"time":"2025-10-31T13:52:10.706000Z","level":"INFO","target":"dynamo_llm::http","message":"request started","method":"POST"}',
  '{"time":"2025-10-31T13:52:10.750000Z","level":"DEBUG","target":"dynamo_llm::http","message":"routing"}',
  '{"time":"2025-10-31T13:52:14.746000Z","level":"INFO","target":"dynamo_llm::http","message":"request done"}',
];
const DECODE = [
  '{"time":"2025-10-31T13:52:10.745000Z","level":"INFO","target":"log","message":"decode start","log.target":"handlers"}',
  '{"time":"2025-10-31T13:52:12.000000Z","level":"ERROR","target":"log","message":"boom","log.target":"handlers"}',
  "Traceback (most recent call last):",
  '  File "handlers.py", line 3, in decode',
];

test("every non-JSON line comes out byte for byte, in place", () => {
  const invalid = Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x20, 0xc0, 0xaf]);
  const lines: (string | Buffer)[] = [
    FE[0] as string,
    "Processed prompts: 100%|██████████| 1/1 [00:00<00:00,  2.31it/s]",
    "",
    "   ",
    invalid,
    "progress 10%\rprogress 20%\rprogress 30%",
    "{not json at all",
    "\x00\x01 nul and friends",
    FE[1] as string,
  ];
  const parts: Buffer[] = [];
  for (const [i, l] of lines.entries()) {
    parts.push(Buffer.from(l));
    parts.push(Buffer.from(i === 3 ? "\r\n" : "\n"));
  }
  parts.push(Buffer.from("last line without newline"));
  const input = Buffer.concat(parts);
  const run = dynlog(["convert", file("mixed.log", input)]);
  assert.is(run.status, 0, run.stderr);
  const expected = Buffer.concat([
    Buffer.from(
      "2025-10-31T13:52:10.706000Z  INFO dynamo_llm::http: request started method=POST\n",
    ),
    Buffer.concat(parts.slice(2, 16)),
    Buffer.from("2025-10-31T13:52:10.750000Z DEBUG dynamo_llm::http: routing\n"),
    Buffer.from("last line without newline"),
  ]);
  assert.ok(run.stdoutBytes.equals(expected), `got ${JSON.stringify(run.stdout)}`);
});

test("several inputs merge by time; a traceback stays with its error; label= names a source", () => {
  const fe = file("frontend.jsonl", `${FE.join("\n")}\n`);
  const decode = file("decode.log", `${DECODE.join("\n")}\n`);
  const run = dynlog(["convert", fe, `dec=${decode}`]);
  assert.is(run.status, 0, run.stderr);
  assert.equal(run.stdout.split("\n"), [
    "2025-10-31T13:52:10.706000Z  INFO dynamo_llm::http: request started method=POST",
    "2025-10-31T13:52:10.745000Z  INFO handlers: decode start",
    "2025-10-31T13:52:10.750000Z DEBUG dynamo_llm::http: routing",
    "2025-10-31T13:52:12.000000Z ERROR handlers: boom",
    "Traceback (most recent call last):",
    '  File "handlers.py", line 3, in decode',
    "2025-10-31T13:52:14.746000Z  INFO dynamo_llm::http: request done",
    "",
  ]);
});

test("gzip input is recognised by its bytes, whatever its name", () => {
  const plain = dynlog(["convert", file("a.jsonl", `${FE.join("\n")}\n`)]);
  const gz = dynlog(["convert", file("compressed.log", gzipSync(`${FE.join("\n")}\n`))]);
  assert.is(gz.status, 0, gz.stderr);
  assert.is(gz.stdout, plain.stdout);
  const stdin = dynlog(["convert", "-"], { input: gzipSync(`${FE.join("\n")}\n`) });
  assert.is(stdin.stdout, plain.stdout);
});

test("a truncated gzip is reported; what was decoded is kept", () => {
  const big = `${Array.from({ length: 2000 }, (_, i) => FE[0]?.replace("request started", `r${i}`)).join("\n")}\n`;
  const gz = gzipSync(big);
  const run = dynlog(["convert", file("cut.jsonl.gz", gz.subarray(0, gz.length - 30))]);
  assert.is(run.status, 1);
  assert.match(run.stderr, /^dynlog: .*cut\.jsonl\.gz: gzip: unexpected end of file/);
  assert.ok(run.stdout.includes(" r0\n") || run.stdout.includes(": r0 "), "early records kept");
});

test("unreadable inputs are reported and the others still processed (exit 1)", () => {
  const good = file("good.jsonl", `${FE[0]}\n`);
  mkdirSync(join(dir, "adir"), { recursive: true });
  const run = dynlog(["convert", join(dir, "missing.jsonl"), good, join(dir, "adir")]);
  assert.is(run.status, 1);
  assert.equal(run.stderr.split("\n"), [
    `dynlog: ${join(dir, "missing.jsonl")}: no such file or directory`,
    `dynlog: ${join(dir, "adir")}: is a directory`,
    "",
  ]);
  assert.match(run.stdout, /request started/);
});

test("--filter, --where, --since and --until select records", () => {
  const fe = file("fe2.jsonl", `${FE.join("\n")}\n${DECODE.join("\n")}\n`);
  const info = dynlog(["convert", "--filter", "info", fe]);
  assert.not.match(info.stdout, /routing/);
  assert.match(info.stdout, /Traceback/, "the traceback follows its kept ERROR");
  const where = dynlog(["convert", "--where", "method=POST", fe]);
  assert.is(where.stdout.trim().split("\n").length, 1);
  const window = dynlog([
    "convert",
    "--since",
    "2025-10-31T13:52:10.745Z",
    "--until",
    "2025-10-31T13:52:12Z",
    fe,
  ]);
  assert.equal(window.stdout.split("\n"), [
    "2025-10-31T13:52:10.750000Z DEBUG dynamo_llm::http: routing",
    "2025-10-31T13:52:10.745000Z  INFO handlers: decode start",
    "2025-10-31T13:52:12.000000Z ERROR handlers: boom",
    "Traceback (most recent call last):",
    '  File "handlers.py", line 3, in decode',
    "",
  ]);
  const bad = dynlog(["convert", "--since", "last tuesday", fe]);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /--since 'last tuesday'/);
});

test("--tz and --local re-render times; an unknown zone is a usage error", () => {
  const fe = file("fe3.jsonl", `${FE[0]}\n`);
  const paris = dynlog(["convert", "--tz", "Europe/Paris", fe]);
  assert.match(paris.stdout, /^2025-10-31T14:52:10\.706000\+01:00 {2}INFO/);
  const local = dynlog(["convert", "--local", fe], { env: { TZ: "Asia/Kolkata" } });
  assert.match(local.stdout, /^2025-10-31T19:22:10\.706000\+05:30/);
  const bad = dynlog(["convert", "--tz", "Mars/Olympus", fe]);
  assert.is(bad.status, 2);
  assert.is(bad.stdout, "");
  assert.match(bad.stderr, /unknown time zone 'Mars\/Olympus'/);
});

test("--color: always, never, and auto with NO_COLOR / FORCE_COLOR", () => {
  const fe = file("fe4.jsonl", `${FE[0]}\n`);
  assert.match(dynlog(["convert", "--color", "always", fe]).stdout, /\x1b\[32m INFO\x1b\[0m/);
  assert.not.match(
    dynlog(["convert", "--color", "never", fe], { env: { FORCE_COLOR: "1" } }).stdout,
    /\x1b/,
  );
  assert.match(dynlog(["convert", fe], { env: { FORCE_COLOR: "1" } }).stdout, /\x1b\[/);
  assert.not.match(dynlog(["convert", fe]).stdout, /\x1b/, "a pipe is not a terminal");
  assert.is(dynlog(["convert", "--color", "sometimes", fe]).status, 2);
});

test("writing into a closed pipe ends quietly with status 0", async () => {
  const line = FE[0] as string;
  const path = file("long.jsonl", `${Array.from({ length: 200000 }, () => line).join("\n")}\n`);
  const child = spawnDynlog(["convert", path]);
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  await new Promise<void>((resolve) => {
    child.stdout.once("data", () => {
      child.stdout.destroy();
      resolve();
    });
  });
  const status = await new Promise<number | null>((resolve) =>
    child.on("exit", (code) => resolve(code)),
  );
  assert.is(status, 0);
  assert.is(stderr, "");
});

test("bin/dynlog loads zlib, the regex engine and string-width when a run first needs them", () => {
  // They are loaded on first use, from node_modules (src/model/dependencies.ts): the built CLI
  // must find each one.
  const trace = "ab12ab12ab12ab12ab12ab12ab12ab12";
  const line = (second: number, message: string) =>
    `{"time":"2025-11-04T09:12:0${second}.000000Z","level":"INFO","target":"t","message":"${message}","span_id":"1","trace_id":"${trace}","span_name":"日本語のスパン"}`;
  const gz = file("wide.jsonl.gz", gzipSync(`${line(0, "日本語 request")}\n${line(1, "other")}\n`));
  const matched = dynlog(["convert", "--where", "message~=^日本", gz], { process: true });
  assert.is(matched.status, 0, matched.stderr);
  assert.equal(matched.stdout.trim().split("\n"), [
    "2025-11-04T09:12:00.000000Z  INFO 日本語のスパン: t: 日本語 request",
  ]);
  const view = dynlog(["trace", "ab12ab12", "--color", "never", "--width", "120", gz], {
    process: true,
  });
  assert.is(view.status, 0, view.stderr);
  // The waterfall's frame lines up when each CJK character takes two columns.
  const columns = (text: string) =>
    [...text].reduce((n, ch) => n + (/[\u3000-\u9fff]/.test(ch) ? 2 : 1), 0);
  const frameAt = (row: string) => columns(row.slice(0, row.indexOf("│")));
  const [header, row] = view.stdout.split("\n").filter((l) => l.includes("│"));
  assert.ok(row?.includes("日本語のスパン"), view.stdout);
  assert.is(frameAt(row as string), frameAt(header as string), view.stdout);
});

test("usage errors exit 2 before any output", () => {
  const none = dynlog([]);
  assert.is(none.status, 2);
  assert.match(none.stderr, /a command is required/);
  assert.is(dynlog(["frobnicate"]).status, 2);
  assert.is(dynlog(["convert", "--where", "nokey"]).status, 2);
  assert.is(dynlog(["convert", "--tz", "UTC", "--local"]).status, 2);
});

test.run();
