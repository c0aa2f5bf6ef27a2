/** A running `dynlog tail` whose output a test can wait on. */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { appendFileSync } from "node:fs";
import { spawnDynlog } from "./cli.js";

export interface Live {
  child: ChildProcessWithoutNullStreams;
  output(): string;
  errors(): string;
  /** Resolves when the output satisfies `done`; rejects after `timeoutMs`. */
  waitFor(done: (out: string) => boolean, timeoutMs?: number): Promise<void>;
  /**
   * Sends a signal and resolves with the exit code; rejects (after killing it) when the process
   * has not ended `timeoutMs` later, so a tail that ignores the signal fails its test instead of
   * hanging the run.
   */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

const running = new Set<ChildProcessWithoutNullStreams>();

/** Kills every tail still running (call from `test.after.each`, so a failed test cannot hang). */
export function killAll(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

export function startTail(args: string[], env: NodeJS.ProcessEnv = {}): Live {
  const child = spawnDynlog(["tail", ...args], env);
  running.add(child);
  let out = "";
  let err = "";
  const waiters: (() => void)[] = [];
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString("utf8");
    for (const w of [...waiters]) w();
  });
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString("utf8");
    for (const w of [...waiters]) w();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return {
    child,
    output: () => out,
    errors: () => err,
    waitFor(done, timeoutMs = 10000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!done(out)) return;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1);
          reject(new Error(`timed out; output so far:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        waiters.push(check);
        check();
      });
    },
    async stop(signal = "SIGINT", timeoutMs = 15000) {
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`still running ${timeoutMs} ms after ${signal}; stderr:\n${err}`));
        }, timeoutMs);
      });
      try {
        return await Promise.race([exited, late]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A record `whenFollowing` appends; its message is `probe <file index>.<n>`. */
export const probeRecord = (file: number, n: number) =>
  `{"time":"2025-01-01T00:00:00.000000Z","level":"INFO","target":"probe","message":"probe ${file}.${n}"}\n`;

/**
 * Resolves once `live` shows lines appended to each of `files` (instead of sleeping and hoping it
 * has started following): appends a probe record to each file not yet shown, every 100 ms, until
 * one of its probes appears; rejects after `timeoutMs`. The probes stay in the output.
 */
export async function whenFollowing(live: Live, files: string[], timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  const shown = (k: number) => new RegExp(`probe ${k}\\.\\d`).test(live.output());
  for (let n = 0; ; n++) {
    const waiting = files.map((_, k) => k).filter((k) => !shown(k));
    if (waiting.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`not following ${waiting.map((k) => files[k]).join(", ")}: ${live.errors()}`);
    }
    for (const k of waiting) appendFileSync(files[k] as string, probeRecord(k, n));
    await live.waitFor(() => waiting.every(shown), 100).catch(() => {});
  }
}
