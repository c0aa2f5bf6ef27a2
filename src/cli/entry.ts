/**
 * Process entry: runs `main`, then exits with its status. Unexpected failures are reported as one
 * line (a stack trace only with DYNLOG_DEBUG=1) and exit with status 70, never as a raw crash.
 */
import { main } from "./main.js";

/**
 * Exits once standard output has taken everything: on a pipe, writes may still be queued when
 * `main` returns, and exiting at once would cut the output. A write's callback runs after all
 * earlier writes were handed to the OS (or failed, when the reader went away).
 */
function exitAfterFlush(status: number): void {
  process.exitCode = status;
  process.stdout.write("", () => process.exit(status));
}

try {
  exitAfterFlush(await main(process.argv.slice(2)));
} catch (err) {
  process.stderr.write(`dynlog: internal error: ${(err as Error)?.message ?? String(err)}\n`);
  if (process.env.DYNLOG_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ""}\n`);
  exitAfterFlush(70);
}
