/**
 * A scan worker: searches byte ranges of plain files for needles (range-scan.ts) and sends back
 * the matching lines, decoded. Parsing stays with the main thread's reader, which keeps the
 * records in order.
 *
 * Receives: `ScanJob` messages. Emits: one `ScanReply` per job.
 */
import { type ScanJob, type ScanReply, scanRange } from "./range-scan.js";
import { serveJobs } from "./worker-pool.js";

// Decoded here, one string a line: each lands in the main thread's young generation as if decoded
// there. (Transferred buffers count as external memory, and one big string per range kept alive
// by the lines cut from it; both made the collector run five times as long.)
serveJobs<undefined, ScanJob, ScanReply>(() => scanRange);
