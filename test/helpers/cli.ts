/** Runs the built `bin/dynlog` as a user would: a subprocess with arguments and standard input. */
import { spawn, spawnSync } from "node:child_process";
import { BIN, ROOT } from "./paths.js";

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export interface CliOptions {
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const BASE_ENV = { ...process.env, NO_COLOR: "", FORCE_COLOR: "", TZ: "UTC" };

/** Runs dynlog synchronously (most tests): bounded by a timeout so a hang fails instead. */
export function dynlog(args: string[], options: CliOptions = {}): CliResult {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input: options.input ?? "",
    env: { ...BASE_ENV, ...options.env },
    timeout: options.timeoutMs ?? 20000,
    maxBuffer: 256 * 1024 * 1024,
  });
  const stdoutBytes = run.stdout ?? Buffer.alloc(0);
  return {
    status: run.status,
    stdout: stdoutBytes.toString("utf8"),
    stderr: (run.stderr ?? Buffer.alloc(0)).toString("utf8"),
    stdoutBytes,
  };
}

/** Spawns dynlog asynchronously, for tests that need to interact with the running process. */
export function spawnDynlog(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...BASE_ENV, ...env } });
}

/** Whether the built CLI has this command (`dynlog --help` lists it). */
export function hasCommand(name: string): boolean {
  return dynlog(["--help"]).stdout.includes(`\n  dynlog ${name} `);
}
