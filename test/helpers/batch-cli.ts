/**
 * A child process that runs many dynlog command lines in-process, one after the other, as
 * `bin/dynlog` would (the CLI's `main` with its own standard output and error, an internal error
 * reported as `dynlog: internal error: …` with status 70, as the entry point does). For suites
 * that run hundreds of short commands where the process itself is not what is tested: one
 * start-up instead of one per command. Reads a JSON array of argument lists on standard input;
 * writes one JSON line per command, `{ status, stdout (base64), stderr, ms }`, as each ends.
 * Started by `runDynlogBatch` (spawn-run.ts).
 */
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { main } from "../../src/cli/main.js";
import { streamIo } from "../../src/commands/io.js";

function collector(into: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      into.push(chunk);
      done();
    },
  });
}

const runs = JSON.parse(readFileSync(0, "utf8")) as string[][];
for (const argv of runs) {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stderr = collector(err);
  const started = Date.now();
  let status: number;
  try {
    status = await main(argv, streamIo(collector(out), stderr));
  } catch (error) {
    stderr.write(`dynlog: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    status = 70;
  }
  const line = JSON.stringify({
    status,
    stdout: Buffer.concat(out).toString("base64"),
    stderr: Buffer.concat(err).toString("utf8"),
    ms: Date.now() - started,
  });
  await new Promise((resolve) => process.stdout.write(`${line}\n`, resolve));
}
process.exit(0);
