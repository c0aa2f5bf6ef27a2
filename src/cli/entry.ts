/**
 * Process entry: runs `main`, then exits with its status. Unexpected failures are reported as one
 * line (a stack trace only with DYNLOG_DEBUG=1) and exit with status 70, never as a raw crash.
 *
 * Standard output: a reader that went away (EPIPE: `dynlog convert big.jsonl | head`) is a quiet
 * end, the writers stop and the status stays 0; any other failed write (a full disk, an I/O
 * error) ends every command with `dynlog: write error: <reason>` and status 1.
 */
import { describeFsError } from "../input/inputs.js";
import { type Ending, exitWhenSettled } from "./exit.js";
import { main } from "./main.js";

const EXIT_WRITE_ERROR = 1;

function closedPipe(err: NodeJS.ErrnoException): boolean {
  return err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED";
}

let writeFailed = false;

function failWrite(err: NodeJS.ErrnoException): void {
  if (writeFailed) return;
  writeFailed = true;
  process.stderr.write(`dynlog: write error: ${describeFsError(err).replace(/, \w+$/, "")}\n`);
  process.exit(EXIT_WRITE_ERROR);
}

process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (!closedPipe(err)) failWrite(err);
});

/** The process's own way to end (see exit.ts). */
const processEnding: Ending = {
  now: () => performance.now(),
  // A write's callback runs after all earlier writes were handed to the OS (or failed): on a
  // pipe, writes may still be queued when `main` returns, and exiting at once would cut them.
  flush: (done) => process.stdout.write("", done),
  exit: (status) => process.exit(status),
  later: (run, ms) => setTimeout(run, ms),
};

/** Exits with `status` once standard output has taken everything. */
function exitAfterFlush(status: number): void {
  process.exitCode = status;
  exitWhenSettled(status, processEnding, (err: NodeJS.ErrnoException) => {
    if (closedPipe(err)) return false;
    failWrite(err);
    return true;
  });
}

try {
  exitAfterFlush(await main(process.argv.slice(2)));
} catch (err) {
  process.stderr.write(`dynlog: internal error: ${(err as Error)?.message ?? String(err)}\n`);
  if (process.env.DYNLOG_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ""}\n`);
  exitAfterFlush(70);
}
