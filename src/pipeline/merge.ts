/**
 * Merges several inputs by record time, streaming: each input is assumed mostly time-ordered, so
 * at any moment only the current batch of each input is held. A record carries its unparsed
 * followers (a traceback after an error) along: they share its order time and its input, and
 * ties go to the input named first, so nothing is pulled apart.
 *
 * The rule works on lanes, one per input, whatever their batches hold: records (`mergeByTime`),
 * or a worker thread's converted output cut into records (merged `convert` on threads).
 *
 * Receives: one batch stream per input. Emits: batches of records in time order.
 */
import type { LogRecord } from "../model/record.js";

const OUTPUT_BATCH = 4096;

/** One input's records as the merge sees them: a current batch, a head in it. */
export interface Lane {
  /** The input's position on the command line (ties go to the lower). */
  readonly index: number;
  /** The head record's order time. */
  headOrder(): number;
  /** Whether the head is an unparsed line (it stays behind the record before it). */
  headSticks(): boolean;
  /** Takes the head out; returns whether the current batch has another. */
  takeHead(): boolean;
  /** Loads the next non-empty batch; false when the input is done. */
  refill(): Promise<boolean>;
  /** The merge ends early (the output closed): the input may stop. */
  close?(): Promise<void>;
}

/** True when `a`'s head goes before `b`'s (earlier time, or same time and earlier input). */
function before(a: Lane, b: Lane): boolean {
  const ta = a.headOrder();
  const tb = b.headOrder();
  return ta < tb || (ta === tb && a.index < b.index);
}

/**
 * Takes every lane's records in merged order. Yields when what was taken may be handed on: when
 * a lane's batch ran out (before it loads the next) and every OUTPUT_BATCH records.
 */
export async function* mergeLanes(lanes: readonly Lane[]): AsyncGenerator<void> {
  const live: Lane[] = [];
  for (const lane of lanes) if (await lane.refill()) live.push(lane);
  let taken = 0;
  try {
    while (live.length > 0) {
      let best = live[0] as Lane;
      let second: Lane | null = null;
      for (let i = 1; i < live.length; i++) {
        const c = live[i] as Lane;
        if (before(c, best)) {
          second = best;
          best = c;
        } else if (second === null || before(c, second)) {
          second = c;
        }
      }
      // Take from the best input while it stays ahead of the runner-up.
      let more: boolean;
      do {
        more = best.takeHead();
        taken++;
      } while (more && (second === null || best.headSticks() || !before(second, best)));
      if (!more) {
        yield;
        taken = 0;
        if (!(await best.refill())) live.splice(live.indexOf(best), 1);
      } else if (taken >= OUTPUT_BATCH) {
        yield;
        taken = 0;
      }
    }
  } finally {
    for (const lane of live) await lane.close?.();
  }
}

/** A lane over batches of records; what is taken goes to `out`. */
class RecordLane implements Lane {
  private readonly stream: AsyncIterator<LogRecord[]>;
  private batch: LogRecord[] = [];
  private pos = 0;

  constructor(
    readonly index: number,
    stream: AsyncIterable<LogRecord[]>,
    private readonly out: { records: LogRecord[] },
  ) {
    this.stream = stream[Symbol.asyncIterator]();
  }

  headOrder(): number {
    return (this.batch[this.pos] as LogRecord).orderUs;
  }

  headSticks(): boolean {
    return (this.batch[this.pos] as LogRecord).kind === "unparsed";
  }

  takeHead(): boolean {
    this.out.records.push(this.batch[this.pos] as LogRecord);
    return ++this.pos < this.batch.length;
  }

  async refill(): Promise<boolean> {
    for (;;) {
      const next = await this.stream.next();
      if (next.done) return false;
      if (next.value.length > 0) {
        this.batch = next.value;
        this.pos = 0;
        return true;
      }
    }
  }

  async close(): Promise<void> {
    await this.stream.return?.();
  }
}

export async function* mergeByTime(
  streams: AsyncIterable<LogRecord[]>[],
): AsyncGenerator<LogRecord[]> {
  const out = { records: [] as LogRecord[] };
  const lanes = streams.map((stream, index) => new RecordLane(index, stream, out));
  for await (const _ of mergeLanes(lanes)) {
    if (out.records.length === 0) continue;
    const taken = out.records;
    out.records = [];
    yield taken;
  }
}
