/**
 * Process entry: runs `main`, then exits with its status. Unexpected failures are reported as one
 * line (a stack trace only with DYNLOG_DEBUG=1) and exit with status 70, never as a raw crash.
 */
import { main } from "./main.js";

try {
  const status = await main(process.argv.slice(2));
  process.exit(status);
} catch (err) {
  process.stderr.write(`dynlog: internal error: ${(err as Error)?.message ?? String(err)}\n`);
  if (process.env.DYNLOG_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ""}\n`);
  process.exit(70);
}
