// The benchmark cases: what dynlog runs and what each peer tool runs on the same bytes, which
// peers a dynlog case is compared with, and whether each case can run here (a dynlog command
// missing from this build, a peer tool not installed).

import { spawnSync } from "node:child_process";
import { accessSync, constants, realpathSync } from "node:fs";
import { delimiter, join } from "node:path";
import { benchEnv } from "./measure.mjs";

const JQ_CONVERT = '. as $l | (fromjson? | "\\(.time) \\(.level) \\(.target): \\(.message)") // $l';
const PINO_KEYS = ["--messageKey", "message", "--timestampKey", "time", "--levelKey", "level"];
const CONVERT_PEERS = ["jq-convert", "pino-pretty"];

/** Absolute path of an executable on PATH, or null. */
export function findProgram(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {}
  }
  return null;
}

/**
 * Whether `bin/dynlog <command> --help` shows that command's own help. Exit status 0 alone is
 * not enough: yargs answers `--help` for an unknown command with the global help and status 0,
 * so the help text must also name `dynlog <command>`.
 */
export function dynlogHas(root, command) {
  const result = spawnSync(process.execPath, ["bin/dynlog", command, "--help"], {
    cwd: root,
    env: benchEnv(),
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.status !== 0) return { ok: false, why: `exit status ${result.status}` };
  const named = new RegExp(`dynlog ${command}(?![\\w-])`).test(result.stdout);
  return named ? { ok: true } : { ok: false, why: "--help shows only the global help" };
}

function pinoPrettyScript(root) {
  try {
    return realpathSync(join(root, "node_modules", ".bin", "pino-pretty"));
  } catch {
    return null;
  }
}

function dynlogCases(ctx) {
  const { data, lookup } = ctx;
  const dynlog = (command, ...rest) => [process.execPath, "bin/dynlog", command, ...rest];
  const color = ["--color", "never"];
  return [
    dynlogCase("dynlog-convert-merged", "convert", CONVERT_PEERS, data.files, [
      ...dynlog("convert", ...color, ...data.files),
    ]),
    dynlogCase(
      "dynlog-convert-all",
      "convert",
      CONVERT_PEERS,
      [data.all],
      [...dynlog("convert", ...color, data.all)],
    ),
    dynlogCase("dynlog-trace-id", "trace", ["grep-trace-id", "jq-trace-id"], data.files, [
      ...dynlog("trace", ...color, lookup.traceId, ...data.files),
    ]),
    dynlogCase("dynlog-trace-xrid", "trace", ["grep-xrid", "jq-trace-xrid"], data.files, [
      ...dynlog("trace", ...color, lookup.xRequestId, ...data.files),
    ]),
    dynlogCase("dynlog-traces", "traces", ["cat"], data.files, [
      ...dynlog("traces", ...color, ...data.files),
    ]),
    dynlogCase("dynlog-stats", "stats", ["cat"], data.files, [
      ...dynlog("stats", ...color, ...data.files),
    ]),
    // The first line of a 1 GB convert reaching a pipe that closes after it (`| head -n 1`):
    // the whole pipeline's time; no input bytes are counted, as the rest is never read.
    dynlogCase(
      "dynlog-convert-first-line",
      "convert",
      [],
      [],
      [
        "sh",
        "-c",
        '"$0" bin/dynlog convert --color never "$1" | head -n 1',
        process.execPath,
        data.all,
      ],
    ),
    // The same for the three component files merged by time.
    dynlogCase(
      "dynlog-convert-merged-first-line",
      "convert",
      [],
      [],
      [
        "sh",
        "-c",
        '"$0" bin/dynlog convert --color never "$@" | head -n 1',
        process.execPath,
        ...data.files,
      ],
    ),
    dynlogCase(
      "dynlog-tail",
      "tail",
      ["cat"],
      [data.all],
      [...dynlog("tail", ...color, "--no-follow", "-n", "all", data.all)],
    ),
  ];
}

function dynlogCase(name, command, compareTo, inputs, argv) {
  return { name, kind: "dynlog", command, compareTo, inputs, argv, needs: { dynlog: command } };
}

function peerCase(name, program, argv, inputs, note, extra = {}) {
  return { name, kind: "peer", compareTo: [], inputs, argv, needs: { program }, note, ...extra };
}

function peerCases(ctx) {
  const { data, lookup, root } = ctx;
  const all = data.all;
  const pino = pinoPrettyScript(root);
  const jqSelect = (key, id) => `fromjson? | select(.${key} == ${JSON.stringify(id)})`;
  return [
    peerCase("cat", "cat", ["cat", all], [all], "reads and writes the bytes: the floor"),
    peerCase("grep-trace-id", "grep", ["grep", "-F", lookup.traceId, all], [all], grepNote),
    peerCase("grep-xrid", "grep", ["grep", "-F", lookup.xRequestId, all], [all], grepNote),
    peerCase("jq-convert", "jq", ["jq", "-Rr", JQ_CONVERT, all], [all], jqConvertNote),
    peerCase(
      "jq-trace-id",
      "jq",
      ["jq", "-Rc", jqSelect("trace_id", lookup.traceId), all],
      [all],
      jqTraceNote,
    ),
    peerCase(
      "jq-trace-xrid",
      "jq",
      ["jq", "-Rc", jqSelect("x_request_id", lookup.xRequestId), all],
      [all],
      jqTraceNote,
    ),
    peerCase(
      "pino-pretty",
      pino === null ? null : "node",
      [process.execPath, pino ?? "pino-pretty", ...PINO_KEYS, "--singleLine"],
      [all],
      pinoNote,
      { stdin: all, missing: pino === null ? "pino-pretty not installed (npm install)" : null },
    ),
    peerCase("lnav", "lnav", ["lnav", "-n", all], [all], lnavNote),
  ];
}

const grepNote = "prints the lines containing the id; builds no span tree";
const jqTraceNote = "prints the records whose field equals the id; builds no span tree";
const jqConvertNote =
  "prints only time, level, target and message: no fields, span names, escaping or merge";
const pinoNote =
  "pino's own layout (fields as one JSON object with --singleLine); it expects numeric pino " +
  "levels but prints Dynamo's string levels as given; re-parses numbers (u64 ids lose " +
  "precision, 1.0 prints as 1); reads stdin only, so no merge";
const lnavNote =
  "headless lnav prints its log view; it formats JSON lines only through an installed format " +
  "(none ships for Dynamo's keys), so it may pass lines through raw";

/** All cases, in run order: peers first (they are the reference), then dynlog. */
export function buildCases(ctx) {
  return [...peerCases(ctx), ...dynlogCases(ctx)];
}

/** How to get a peer tool the bench does not install itself (Debian's packages). */
const INSTALL = { lnav: "apt-get install lnav", jq: "apt-get install jq" };

/** Why a case cannot run here, or null when it can. Caches dynlog command detection. */
export function unavailableReason(c, root, cache = new Map()) {
  if (c.needs.dynlog !== undefined) {
    const command = c.needs.dynlog;
    if (!cache.has(command)) cache.set(command, dynlogHas(root, command));
    const found = cache.get(command);
    return found.ok ? null : `\`dynlog ${command}\` not implemented in this build (${found.why})`;
  }
  if (c.missing) return c.missing;
  if (c.needs.program !== "node" && findProgram(c.needs.program) === null) {
    const hint = INSTALL[c.needs.program];
    return `${c.needs.program} not found on PATH${hint ? ` (to compare with it: ${hint})` : ""}`;
  }
  return null;
}

/**
 * The command line of a case, for people: node for this Node, paths relative to the checkout,
 * and the data directory written as $D (formatCommands prints D=... first).
 */
export function displayCommand(c, root, dataDir) {
  const quote = (arg) => (/^[\w./=,:@%+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);
  const shorten = (word) => word.replaceAll(`${dataDir}/`, "$D/").replaceAll(`${root}/`, "");
  const word = (arg) => (arg === process.execPath ? "node" : shorten(quote(arg)));
  const words = c.argv.map(word).join(" ");
  return c.stdin === undefined ? words : `${words} < ${word(c.stdin)}`;
}
