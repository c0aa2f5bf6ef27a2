/** A running `dynlog tail` whose output a test can wait on. */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { spawnDynlog } from "./cli.js";

export interface Live {
  child: ChildProcessWithoutNullStreams;
  output(): string;
  errors(): string;
  /** Resolves when the output satisfies `done`; rejects after `timeoutMs`. */
  waitFor(done: (out: string) => boolean, timeoutMs?: number): Promise<void>;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
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
    async stop(signal = "SIGINT") {
      child.kill(signal);
      return exited;
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
