/**
 * What `validate` found: every problem is counted by kind (the summary), and the first
 * MAX_LISTED_PROBLEMS are kept with their place for the listing (a log of ten million bad lines
 * must not need ten million objects to say so).
 *
 * Receives: problems as the checks find them. Emits: the listing in input and line order, counts.
 */

export type Severity = "error" | "warning";

/** Problems kept for the listing; the rest are only counted. */
export const MAX_LISTED_PROBLEMS = 10_000;

export interface Place {
  /** Index of the input on the command line. */
  sourceIndex: number;
  /** Physical line number (1-based) in that input. */
  line: number;
}

export interface Problem extends Place {
  /** The input as the user named it (its path, or `stdin`). */
  source: string;
  severity: Severity;
  /** The kind of problem, the same for every line that has it (the summary's key). */
  kind: string;
  /** The problem on this line. */
  problem: string;
}

export interface KindCount {
  severity: Severity;
  count: number;
}

export class ProblemLog {
  private readonly listed: (Problem & { seq: number })[] = [];
  /** Problems found but not kept for the listing. */
  omitted = 0;
  errors = 0;
  warnings = 0;
  readonly summary = new Map<string, KindCount>();

  /** `names[i]`: how input `i` is shown. */
  constructor(private readonly names: readonly string[]) {}

  add(place: Place, severity: Severity, kind: string, problem: string): void {
    if (severity === "error") this.errors++;
    else this.warnings++;
    const counted = this.summary.get(kind);
    if (counted === undefined) this.summary.set(kind, { severity, count: 1 });
    else counted.count++;
    if (this.listed.length >= MAX_LISTED_PROBLEMS) {
      this.omitted++;
      return;
    }
    const source = this.names[place.sourceIndex] ?? String(place.sourceIndex);
    const seq = this.listed.length;
    this.listed.push({ ...place, source, severity, kind, problem, seq });
  }

  /** The kept problems, by input, then line, then the order they were found in. */
  problems(): Problem[] {
    const sorted = [...this.listed].sort(
      (a, b) => a.sourceIndex - b.sourceIndex || a.line - b.line || a.seq - b.seq,
    );
    return sorted.map(({ seq: _seq, ...problem }) => problem);
  }
}
